import { hkdfSync, scryptSync } from 'node:crypto';
import type { RandomBytes } from './keyring.js';

// Keys derived from the root key, and the root key derived from a passphrase. Pure.

// scrypt parameters stored in the header of a passphrase store.
export interface KdfParams {
  alg: 'scrypt';
  n: number;
  r: number;
  p: number;
  /** base64 of 16 random bytes. */
  salt: string;
}

function hkdf(rootKey: Buffer, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), info, length));
}

// The HMAC key for the store MAC, separate from the root key so one key has one job.
export function deriveMacKey(rootKey: Buffer): Buffer {
  return hkdf(rootKey, 'secretrun store mac v1', 32);
}

// A short fingerprint of the root key kept in the header. It does not depend on anything else
// in the header, so "wrong key" can be told apart from "edited header".
export function buildKeyCheck(rootKey: Buffer): string {
  return hkdf(rootKey, 'secretrun key check v1', 16).toString('base64');
}

// Fresh scrypt parameters for a new passphrase store (about 100 ms and 32 MiB per derivation).
export function createKdfParams(random: RandomBytes): KdfParams {
  return { alg: 'scrypt', n: 32768, r: 8, p: 1, salt: random(16).toString('base64') };
}

// The 32-byte root key for a passphrase under the header's parameters.
export function derivePassphraseKey(passphrase: string, kdf: KdfParams): Buffer {
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, {
    N: kdf.n,
    r: kdf.r,
    p: kdf.p,
    maxmem: 256 * kdf.n * kdf.r + 1024 * 1024,
  });
}
