import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { RandomBytes } from '../keyring.js';
import type { Identity } from './identity.js';
import { derivePublicKey, sharedSecret, x25519KeyLength } from './x25519.js';

// The store's root key wrapped for one recipient, built as age builds its X25519 stanza:
//
//   ephemeral secret e = 32 random bytes, fresh for every stanza
//   ephemeral share  E = X25519(e, basepoint)
//   shared secret      = X25519(e, recipient)        (refused when all zeros)
//   wrap key           = HKDF-SHA-256(ikm = shared, salt = E || recipient, info = label || store id)
//   body               = AES-256-GCM(wrap key, nonce = 12 zero bytes, root key, aad = label || store id)
//
// The nonce can be fixed because the wrap key is never used twice (E is fresh). Where age
// wraps a file key for one file, this binds the wrapping to one store: the store id is in both
// the key derivation and the associated data, so a stanza copied into another store's header
// does not open there. Opening takes one X25519 operation. age seals with ChaCha20-Poly1305;
// AES-256-GCM is what the store seals everything else with, so a command opening a store loads
// no other cipher (a first ChaCha20-Poly1305 costs about 130 µs in a process). Pure:
// randomness comes in.

// One recipient's wrapped root key, as the store header holds it (base64 fields, JSON-friendly).
export interface Stanza {
  /** E, the ephemeral share: base64 of 32 bytes. */
  epk: string;
  /** The AEAD output: base64 of the 32-byte root key and the 16-byte tag. */
  body: string;
}

export const rootKeyLength = 32;
const tagLength = 16;
const label = 'secretrun.dev/v1/X25519';

function separated(storeId: string): Buffer {
  return Buffer.from(`${label}\0${storeId}`, 'utf8');
}

function deriveWrapKey(shared: Buffer, ephemeral: Uint8Array, recipient: Uint8Array, storeId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient]), separated(storeId), 32));
}

const zeroNonce = Buffer.alloc(12);

// Wraps the root key for the recipient `publicKey` of store `storeId`; undefined when the public
// key is a low-order point (no secret can be shared with it).
export function wrapRootKey(rootKey: Buffer, publicKey: Uint8Array, storeId: string, random: RandomBytes): Stanza | undefined {
  if (rootKey.length !== rootKeyLength) throw new RangeError('a root key is 32 bytes');
  const ephemeralSecret = random(x25519KeyLength);
  const ephemeral = derivePublicKey(ephemeralSecret);
  const shared = sharedSecret(ephemeralSecret, publicKey);
  if (shared === undefined) return undefined;
  const cipher = createCipheriv('aes-256-gcm', deriveWrapKey(shared, ephemeral, publicKey, storeId), zeroNonce);
  cipher.setAAD(separated(storeId));
  const body = Buffer.concat([cipher.update(rootKey), cipher.final(), cipher.getAuthTag()]);
  return { epk: ephemeral.toString('base64'), body: body.toString('base64') };
}

// Canonical base64 of exactly `length` bytes, else undefined: a stanza is refused for its
// shape before any key is derived (age checks lengths first for the same reason).
function decodeExact(text: unknown, length: number): Buffer | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === length && bytes.toString('base64') === text ? bytes : undefined;
}

// A stanza read from a header, checked for shape; undefined when it is not one.
export function parseStanza(value: unknown): Stanza | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { epk, body } = value as Record<string, unknown>;
  if (decodeExact(epk, x25519KeyLength) === undefined || decodeExact(body, rootKeyLength + tagLength) === undefined) return undefined;
  return { epk: epk as string, body: body as string };
}

// Opens a stanza with the identity it was wrapped for; undefined when it was wrapped for
// another key or another store, or was edited.
export function unwrapRootKey(stanza: Stanza, identity: Identity, storeId: string): Buffer | undefined {
  const ephemeral = decodeExact(stanza.epk, x25519KeyLength);
  const body = decodeExact(stanza.body, rootKeyLength + tagLength);
  if (ephemeral === undefined || body === undefined) return undefined;
  const shared = sharedSecret(identity.secret, ephemeral);
  if (shared === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveWrapKey(shared, ephemeral, identity.publicKey, storeId), zeroNonce, { authTagLength: tagLength });
    decipher.setAAD(separated(storeId));
    decipher.setAuthTag(body.subarray(rootKeyLength));
    return Buffer.concat([decipher.update(body.subarray(0, rootKeyLength)), decipher.final()]);
  } catch {
    return undefined;
  }
}
