import { describe, expect, it } from 'vitest';
import { nanosToSeconds, parseGoDuration, renderGoDuration, secondsToNanos } from '../../src/go/duration.js';

const s = 1_000_000_000n;

describe('renderGoDuration (time.Duration.String)', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1500n, '1.5µs'],
    [2_000_000n, '2ms'],
    [1_500_000_000n, '1.5s'],
    [90n * s, '1m30s'],
    [3600n * s, '1h0m0s'],
    [2764800n * s, '768h0m0s'],
    [-60n * s, '-1m0s'],
    [-(2n ** 63n), '-2562047h47m16.854775808s'],
  ])('%s ns → %s', (ns, expected) => {
    expect(renderGoDuration(ns)).toBe(expected);
  });
});

describe('renderGoDuration of seconds', () => {
  it.each([
    [0, '0s'],
    [1, '1s'],
    [1.5, '1.5s'],
    [59, '59s'],
    [60, '1m0s'],
    [90, '1m30s'],
    [3600, '1h0m0s'],
    [12319, '3h25m19s'],
    [-1, '-1s'],
    [0.5, '500ms'],
    [0.0015, '1.5ms'],
    [0.000002, '2µs'],
    [1e-9, '1ns'],
    [86400 * 400, '9600h0m0s'],
  ])('%s s → %s', (seconds, text) => {
    expect(renderGoDuration(secondsToNanos(seconds))).toBe(text);
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['10s', 10],
    ['1h30m', 5400],
    ['500ms', 0.5],
    ['-1s', -1],
    ['+2m', 120],
    ['1.5h', 5400],
    ['1h0m0s', 3600],
    ['100us', 0.0001],
    ['3µs', 0.000003],
  ])('%s → %s s', (text, seconds) => {
    const parsed = parseGoDuration(text);
    expect(parsed.ok && nanosToSeconds(parsed.value)).toBeCloseTo(seconds, 9);
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['abc', 'time: invalid duration "abc"'],
    ['1.5', 'time: missing unit in duration "1.5"'],
    ['1x', 'time: unknown unit "x" in duration "1x"'],
    ['-', 'time: invalid duration "-"'],
    ['2562048h', 'time: invalid duration "2562048h"'],
    ['99999999999999h', 'time: invalid duration "99999999999999h"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
  ])('%j fails with Go text', (text, message) => {
    expect(parseGoDuration(text)).toEqual({ ok: false, error: message });
  });

  it('accepts the int64 extremes as Go does', () => {
    expect(parseGoDuration('9223372036854775807ns')).toEqual({ ok: true, value: 2n ** 63n - 1n });
    expect(parseGoDuration('-9223372036854775808ns')).toEqual({ ok: true, value: -(2n ** 63n) });
  });
});
