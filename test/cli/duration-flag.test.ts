import { describe, expect, it } from 'vitest';
import { parseDurationFlag } from '../../src/cli/duration-flag.js';
import { errorOf } from '../kv/kv-harness.js';

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

  it('refuses a duration longer than Go can hold, in seconds or Go syntax', async () => {
    expect(parseDurationFlag('9223372036', 'delete-version-after')).toBe(9_223_372_036);
    expect((await errorOf(() => parseDurationFlag('99999999999999h', 'delete-version-after'))).message).toBe(
      'invalid value "99999999999999h" for flag -delete-version-after: time: invalid duration "99999999999999h"',
    );
    const seconds = await errorOf(() => parseDurationFlag('99999999999', 'delete-version-after'));
    expect(seconds.code).toBe('input');
    expect(seconds.message).toBe('invalid value "99999999999" for flag -delete-version-after: out of range: at most 9223372036 seconds (2562047h47m16s)');
  });
});
