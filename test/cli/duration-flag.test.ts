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
});
