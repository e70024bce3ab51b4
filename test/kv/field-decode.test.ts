import { describe, expect, it } from 'vitest';
import { decodeDurationSeconds } from '../../src/kv/field-decode.js';
import { errorOf } from './kv-harness.js';

describe('decodeDurationSeconds (Vault duration fields)', () => {
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
    expect(decodeDurationSeconds(input, 'delete_version_after')).toBe(seconds);
  });

  it('reports bad input as Vault field validation', async () => {
    const error = await errorOf(() => decodeDurationSeconds('soon', 'delete_version_after'));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe(
      'Field validation failed: error converting input soon for field "delete_version_after": time: invalid duration "soon"',
    );
    expect((await errorOf(() => decodeDurationSeconds(1.5, 'ttl'))).message).toBe(
      'Field validation failed: error converting input 1.5 for field "ttl": time: missing unit in duration "1.5"',
    );
    expect((await errorOf(() => decodeDurationSeconds(true, 'ttl'))).message).toContain('could not parse duration from input');
  });

  it('refuses negatives for unsigned fields', async () => {
    const error = await errorOf(() => decodeDurationSeconds('-1s', 'delete_version_after', { signed: false }));
    expect(error.message).toBe(
      'Field validation failed: error converting input -1s for field "delete_version_after": cannot provide negative value',
    );
  });

  it('accepts the longest Go duration and refuses longer ones in every spelling, instead of wrapping as Go does', async () => {
    expect(decodeDurationSeconds('2562047h47m16s', 'ttl')).toBe(9_223_372_036);
    expect(decodeDurationSeconds(9_223_372_036, 'ttl')).toBe(9_223_372_036);
    for (const value of ['99999999999999h', '9223372037', 99_999_999_999, '106751992d', '99999999999999999999', '-9223372037']) {
      expect((await errorOf(() => decodeDurationSeconds(value, 'delete_version_after'))).code).toBe('invalid_request');
    }
    expect((await errorOf(() => decodeDurationSeconds('99999999999999h', 'delete_version_after'))).message).toBe(
      'Field validation failed: error converting input 99999999999999h for field "delete_version_after": time: invalid duration "99999999999999h"',
    );
    expect((await errorOf(() => decodeDurationSeconds('9223372037', 'ttl'))).message).toBe(
      'Field validation failed: error converting input 9223372037 for field "ttl": duration "9223372037" out of range: at most 9223372036 seconds (2562047h47m16s)',
    );
  });
});
