import { randomFillSync } from 'node:crypto';

// Random bytes for what draws many small pieces: the database engine (passwords, user names,
// lease ids) and the store (a nonce for every entry it seals), drawn from a buffer filled 4 KB
// at a time. Each randomBytes() call is a trip into OpenSSL with a getpid() system call of its
// own: about 10 µs each on the shared VM, where a credentials read on a file store asked for
// seven of them (bench/database-server.mjs). Bytes are copied out and wiped from the buffer as
// they are handed out, so the pool never holds what a caller has (a password's bytes) and never
// hands the same bytes out twice.

const fillBytes = 4096;
// Larger requests bypass the pool, so one never drains it for the small ones.
const largestPooled = 256;

// A source of `size` cryptographically strong random bytes (node:crypto's CSPRNG).
export function createRandomPool(): (size: number) => Uint8Array {
  const pool = new Uint8Array(fillBytes);
  let offset = fillBytes;
  return (size) => {
    if (size > largestPooled) return randomFillSync(new Uint8Array(size));
    if (offset + size > fillBytes) {
      randomFillSync(pool);
      offset = 0;
    }
    const bytes = pool.slice(offset, offset + size);
    pool.fill(0, offset, offset + size);
    offset += size;
    return bytes;
  };
}
