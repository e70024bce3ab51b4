import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { SecretrunError } from '../errors.js';

// Userpass passwords are kept only as scrypt hashes: `scrypt$<N>$<r>$<p>$<salt>$<hash>` (salt
// and hash base64, 16 and 32 bytes). N = 2^15, r = 8, p = 1 costs 32 MiB and, on the 2-core
// machine the tests run on, 50-90 ms per hash — the interactive-login setting the scrypt paper
// and Go's x/crypto/scrypt recommend, comparable to Vault's bcrypt cost 10. OWASP's minimum
// (N = 2^17) would take 128 MiB per concurrent login on a server. The parameters are stored
// with each hash, so raising them later leaves existing users able to log in. Hashing runs on
// libuv's thread pool (crypto.scrypt), never on the event loop, and never inside a store
// transaction (userpass routes hash in deferred work).

const cost = { N: 2 ** 15, r: 8, p: 1 } as const;
const saltBytes = 16;
const hashBytes = 32;
// 128·N·r = 32 MiB exactly, which Node's 32 MiB default `maxmem` refuses.
const maxmem = 64 * 1024 * 1024;

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { ...params, maxmem }, (error, key) => {
      if (error) reject(new SecretrunError('internal', `password hashing failed: ${error.message}`));
      else resolve(key);
    });
  });
}

function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!Number.isSafeInteger(N) || !Number.isSafeInteger(r) || !Number.isSafeInteger(p)) return undefined;
  return { N: N as number, r: r as number, p: p as number, salt: Buffer.from(parts[4] ?? '', 'base64'), hash: Buffer.from(parts[5] ?? '', 'base64') };
}

// Hashes a new password with a fresh salt.
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await derive(password, salt, cost, hashBytes);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

// A hash no password is known to match, with the current parameters: a login for a user that
// does not exist is checked against it, so it takes as long as a wrong password does.
export const absentUserHash = `scrypt$${cost.N}$${cost.r}$${cost.p}$c2VjcmV0cnVuLWFic2VudA==$4m3QqJk0eWwY1d1fO2VxU2mJ3a0n0D6Qv6yF8m2pZ+E=`;

// Does `password` match `encoded`? The comparison is constant-time; a malformed hash matches nothing.
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded) ?? parseHash(absentUserHash);
  if (parsed === undefined) return false;
  const derived = await derive(password, parsed.salt, parsed, parsed.hash.length || hashBytes);
  return derived.length === parsed.hash.length && timingSafeEqual(derived, parsed.hash);
}
