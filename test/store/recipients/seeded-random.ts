import { createHash } from 'node:crypto';

// Deterministic "random" bytes for tests: SHA-256 in counter mode over a seed, so a test that
// injects randomness gets the same keys on every run.
export function seededRandom(seed: string): (length: number) => Buffer {
  let counter = 0;
  return (length) => {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < length) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      chunks.push(block);
      total += block.length;
    }
    return Buffer.concat(chunks).subarray(0, length);
  };
}
