import { describe, expect, it } from 'vitest';
import { computeDeletionTime, effectiveDeleteVersionAfter } from '../../src/kv/deletion-time.js';

describe('effectiveDeleteVersionAfter', () => {
  it.each([
    [0, 0, 0],
    [60, 0, 60],
    [0, 30, 30],
    [60, 30, 30],
    [30, 60, 30],
    [-1, 30, 0],
    [-1, 0, 0],
  ])('mount %s, key %s → %s', (mount, key, effective) => {
    expect(effectiveDeleteVersionAfter(mount, key)).toBe(effective);
  });
});

describe('computeDeletionTime', () => {
  it('adds the effective duration to now, or gives null', () => {
    expect(computeDeletionTime(1000, 0, 10)).toBe(11_000);
    expect(computeDeletionTime(1000, 0, 0)).toBeNull();
    expect(computeDeletionTime(1000, -1, 10)).toBeNull();
  });

  it('reads a setting past Go\'s longest duration (stored before they were bounded) as the longest', () => {
    const longest = computeDeletionTime(0, 0, 9_223_372_036);
    expect(computeDeletionTime(0, 0, 360_000_000_000_000_000)).toBe(longest);
    expect(new Date(longest as number).toISOString()).toBe('2262-04-11T23:47:16.000Z');
  });
});
