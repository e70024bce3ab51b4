import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

// X25519 (RFC 7748) over raw 32-byte keys, through node:crypto. Node takes X25519 keys only as
// KeyObjects, so raw bytes are wrapped in the fixed DER prefixes of PKCS #8 and SPKI (RFC 8410)
// rather than in JWK, which would need the public half before the private one is known. Pure:
// the secret comes from the caller.

export const x25519KeyLength = 32;

const pkcs8Prefix = Buffer.from('302e020100300506032b656e04220420', 'hex');
const spkiPrefix = Buffer.from('302a300506032b656e032100', 'hex');

function privateKeyOf(secret: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([pkcs8Prefix, secret]), format: 'der', type: 'pkcs8' });
}

function publicKeyOf(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([spkiPrefix, publicKey]), format: 'der', type: 'spki' });
}

// The public key of a 32-byte secret: X25519(secret, basepoint).
export function derivePublicKey(secret: Uint8Array): Buffer {
  const der = createPublicKey(privateKeyOf(secret)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(spkiPrefix.length));
}

// The shared secret X25519(secret, publicKey), or undefined when it is all zeros: the other
// side sent a low-order point, which would make the "shared" secret public (age aborts too).
export function sharedSecret(secret: Uint8Array, publicKey: Uint8Array): Buffer | undefined {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey: privateKeyOf(secret), publicKey: publicKeyOf(publicKey) });
  } catch {
    // OpenSSL refuses some low-order points itself.
    return undefined;
  }
  return shared.every((byte) => byte === 0) ? undefined : shared;
}
