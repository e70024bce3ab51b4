import { createHash, timingSafeEqual } from 'node:crypto';

// Token strings and how they are kept. A token is only ever stored as its SHA-256 hash, so a
// copy of the store file (which may be committed to git) grants nothing.

// Fills a buffer with random bytes; injected so token creation is testable.
export type RandomBytes = (length: number) => Uint8Array;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// `count` characters of base62, drawn without modulo bias (bytes ≥ 248 are redrawn).
export function buildRandomId(random: RandomBytes, count: number): string {
  let out = '';
  while (out.length < count) {
    for (const byte of random(count * 2)) {
      if (byte >= 248) continue;
      out += alphabet[byte % 62];
      if (out.length === count) break;
    }
  }
  return out;
}

// A new service token in modern Vault's shape: `hvs.` and 24 base62 characters (~142 bits).
export function buildToken(random: RandomBytes): string {
  return `hvs.${buildRandomId(random, 24)}`;
}

// Recent hashes: the server hashes the same few tokens on every request.
const recentHashes = new Map<string, string>();

// The hex SHA-256 of a token: the only form in which a token is stored.
export function hashToken(token: string): string {
  const known = recentHashes.get(token);
  if (known !== undefined) return known;
  const hash = createHash('sha256').update(token, 'utf8').digest('hex');
  // Bounded so a client sending endless made-up tokens cannot grow it.
  if (recentHashes.size >= 256) recentHashes.clear();
  recentHashes.set(token, hash);
  return hash;
}

// The hex SHA-256 of an accessor: its index key, so accessors are not visible in key names.
export function hashAccessor(accessor: string): string {
  return createHash('sha256').update(accessor, 'utf8').digest('hex');
}

// Do two hex hashes match? Constant-time, so timing reveals nothing of a stored hash.
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
