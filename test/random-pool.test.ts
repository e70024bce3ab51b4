import { describe, expect, it } from 'vitest';
import { createRandomPool } from '../src/random-pool.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('createRandomPool', () => {
  it('hands out the sizes asked for, across refills of its buffer, never the same bytes twice', () => {
    const random = createRandomPool();
    const seen = new Set<string>();
    // 10,000 × 16 bytes: about 40 refills of a 4 KB buffer.
    for (let i = 0; i < 10_000; i++) {
      const bytes = random(16);
      expect(bytes.length).toBe(16);
      seen.add(hex(bytes));
    }
    expect(seen.size).toBe(10_000);
    expect(random(0).length).toBe(0);
    expect(random(1000).length).toBe(1000);
  });

  it('gives each caller its own copy: changing one changes nothing handed out later', () => {
    const random = createRandomPool();
    const first = random(32);
    const before = hex(first);
    first.fill(0);
    const second = random(32);
    expect(hex(second)).not.toBe(before);
    expect(hex(second)).not.toBe('00'.repeat(32));
    second.fill(7);
    expect(hex(random(32))).not.toBe('07'.repeat(32));
  });

  it('draws bytes that look uniform (every value, none far from its share)', () => {
    const random = createRandomPool();
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 4_000; i++) for (const byte of random(64)) counts[byte] = (counts[byte] ?? 0) + 1;
    // 256,000 bytes: 1,000 of each value expected; a fair source stays well inside ±20%.
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });
});
