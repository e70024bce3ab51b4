import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseDurationFlag, parseDurationSeconds, parseGoDuration } from '../../src/kv/duration.js';
import { errorOf } from './kv-harness.js';

describe('formatGoDuration', () => {
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
    expect(formatGoDuration(seconds)).toBe(text);
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
    expect(parseGoDuration(text)).toBeCloseTo(seconds, 9);
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['abc', 'time: invalid duration "abc"'],
    ['1.5', 'time: missing unit in duration "1.5"'],
    ['1x', 'time: unknown unit "x" in duration "1x"'],
    ['-', 'time: invalid duration "-"'],
  ])('%j fails with Go text', (text, message) => {
    expect(() => parseGoDuration(text)).toThrow(message);
  });
});

describe('parseDurationSeconds (Vault duration fields)', () => {
  it.each([
    [30, 30],
    ['30', 30],
    ['1h', 3600],
    ['2d', 172800],
    ['1500ms', 1],
    ['-1s', -1],
    ['', 0],
    [null, 0],
  ])('%j → %s', (input, seconds) => {
    expect(parseDurationSeconds(input, 'delete_version_after')).toBe(seconds);
  });

  it('reports bad input as Vault field validation', async () => {
    const error = await errorOf(() => parseDurationSeconds('soon', 'delete_version_after'));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe(
      'Field validation failed: error converting input soon for field "delete_version_after": time: invalid duration "soon"',
    );
    expect((await errorOf(() => parseDurationSeconds(1.5, 'ttl'))).message).toBe(
      'Field validation failed: error converting input 1.5 for field "ttl": time: missing unit in duration "1.5"',
    );
    expect((await errorOf(() => parseDurationSeconds(true, 'ttl'))).message).toContain('could not parse duration from input');
  });

  it('refuses negatives for unsigned fields', async () => {
    const error = await errorOf(() => parseDurationSeconds('-1s', 'delete_version_after', { signed: false }));
    expect(error.message).toBe(
      'Field validation failed: error converting input -1s for field "delete_version_after": cannot provide negative value',
    );
  });
});

describe('parseDurationFlag', () => {
  it('accepts seconds and Go syntax', () => {
    expect(parseDurationFlag('45', 'delete-version-after')).toBe(45);
    expect(parseDurationFlag('1h', 'delete-version-after')).toBe(3600);
  });

  it('fails as local input naming the flag', async () => {
    const error = await errorOf(() => parseDurationFlag('later', 'delete-version-after'));
    expect(error.code).toBe('input');
    expect(error.message).toBe('invalid value "later" for flag -delete-version-after: time: invalid duration "later"');
  });
});
