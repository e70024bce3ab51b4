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

// The HMAC keys of the state file and of the journal: one per kind of file, so that no MAC
// made for one kind can ever pass as a MAC of another.
export function deriveFileMacKey(rootKey: Buffer, kind: 'state' | 'journal'): Buffer {
  return hkdf(rootKey, `secretrun ${kind} mac v1`, 32);
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

// The scrypt work (N·r·p) and memory (128·N·r bytes) a header may ask for. The parameters are
// used before the MAC can be checked (the MAC key comes from the derived key), so a hostile
// header must not be able to stall (N=2^22 ran past 15 s) or crash (N=3) the process. The
// range is 1/4 to 8 times the cost of the parameters above, which are the only ones written.
const minWork = 2 ** 16;
const maxWork = 2 ** 21;
const maxMemoryBytes = 256 * 1024 * 1024;

const isPowerOfTwo = (n: number): boolean => Number.isSafeInteger(n) && n > 1 && (n & (n - 1)) === 0;
const isIntegerIn = (n: unknown, low: number, high: number): n is number => Number.isSafeInteger(n) && (n as number) >= low && (n as number) <= high;

// What is wrong with a header's KDF parameters, or undefined when they are within bounds.
// `value` is the header's `kdf` field as parsed JSON.
export function checkKdfParams(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'its kdf is not an object';
  const { alg, n, r, p, salt } = value as Record<string, unknown>;
  if (alg !== 'scrypt') return 'its kdf is not scrypt';
  const shown = `N=${String(n)} r=${String(r)} p=${String(p)}`;
  if (!isIntegerIn(n, 2, 2 ** 30) || !isPowerOfTwo(n) || !isIntegerIn(r, 1, 64) || !isIntegerIn(p, 1, 64)) {
    return `its scrypt parameters ${shown} are not valid (N a power of two, r and p small positive integers)`;
  }
  const work = n * r * p;
  if (work < minWork || work > maxWork || 128 * n * r > maxMemoryBytes) {
    return `its scrypt parameters ${shown} are outside the accepted cost (N·r·p from 2^16 to 2^21, at most 256 MiB)`;
  }
  const saltBytes = typeof salt === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(salt) ? Buffer.from(salt, 'base64').length : 0;
  if (saltBytes < 16 || saltBytes > 64) return 'its scrypt salt is not base64 of 16 to 64 bytes';
  return undefined;
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
