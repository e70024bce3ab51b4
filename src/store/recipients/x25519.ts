import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

// X25519 (RFC 7748) over raw 32-byte keys, through node:crypto, which takes X25519 keys only as
// KeyObjects. They are imported as JWK: in Node 20 (OpenSSL 3) importing DER costs about 450 µs
// for a private key and 100 µs for a public one, JWK about 55 µs and 8 µs, and opening a store
// pays for one of each (bench/recipients.mjs measures the whole). A private JWK needs its public half `x`, which is
// what we want to compute: Node builds the key from `d` alone (OpenSSL's raw private key import)
// and only checks that `x` is a string, so a placeholder is given; should a Node version check
// it, the DER import (exact, slower) takes over. The known-answer tests (age's example key pair)
// hold either way. Pure: the secret comes from the caller.

export const x25519KeyLength = 32;

const placeholder = Buffer.alloc(x25519KeyLength).toString('base64url');
const pkcs8Prefix = Buffer.from('302e020100300506032b656e04220420', 'hex');

// Imported keys by the secret they were imported from: deriving an identity's public key and
// then opening a stanza with it import the key once. Weak, so a key lives no longer than its
// secret does.
const imported = new WeakMap<Uint8Array, KeyObject>();

function importPrivateKey(secret: Uint8Array): KeyObject {
  const d = Buffer.from(secret).toString('base64url');
  try {
    return createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d, x: placeholder }, format: 'jwk' });
  } catch {
    return createPrivateKey({ key: Buffer.concat([pkcs8Prefix, secret]), format: 'der', type: 'pkcs8' });
  }
}

function privateKeyOf(secret: Uint8Array): KeyObject {
  let key = imported.get(secret);
  if (key === undefined) {
    key = importPrivateKey(secret);
    imported.set(secret, key);
  }
  return key;
}

function publicKeyOf(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
}

// The u-coordinate of Curve25519's base point (RFC 7748, section 4.1).
const basepoint = Buffer.concat([Buffer.from([9]), Buffer.alloc(x25519KeyLength - 1)]);

// The public key of a 32-byte secret: X25519(secret, basepoint), computed as an exchange with
// the base point, so that deriving a key pair and opening a stanza use the same two operations
// (importing JWK, deriving) and nothing else needs loading (exporting a public key as JWK costs
// as much again the first time in a process).
export function derivePublicKey(secret: Uint8Array): Buffer {
  return diffieHellman({ privateKey: privateKeyOf(secret), publicKey: publicKeyOf(basepoint) });
}

// The shared secret X25519(secret, publicKey), or undefined when it is all zeros: the other
// side sent a low-order point, which would make the "shared" secret public (age aborts too).
export function sharedSecret(secret: Uint8Array, publicKey: Uint8Array): Buffer | undefined {
  if (publicKey.length !== x25519KeyLength) return undefined;
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey: privateKeyOf(secret), publicKey: publicKeyOf(publicKey) });
  } catch {
    // OpenSSL refuses some low-order points itself.
    return undefined;
  }
  return shared.every((byte) => byte === 0) ? undefined : shared;
}
