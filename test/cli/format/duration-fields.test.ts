import { describe, expect, it } from 'vitest';
import { humanizeSeconds, looksLikeDuration, renderHumanDuration } from '../../../src/cli/format/duration-fields.js';

const s = 1_000_000_000n;

describe('looksLikeDuration', () => {
  it.each(['ttl', 'token_ttl', 'period', 'token_period', 'duration', 'lease_duration', 'lease_max', 'ttl_max'])(
    '%s is a duration key',
    (key) => expect(looksLikeDuration(key)).toBe(true),
  );
  it.each(['myttl', 'ttl_x', 'version', 'max_versions', 'delete_version_after', 'periodic'])('%s is not', (key) =>
    expect(looksLikeDuration(key)).toBe(false),
  );
});

describe('renderHumanDuration / humanizeSeconds', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [60, '1m'],
    [90, '1m30s'],
    [3600, '1h'],
    [3601, '1h1s'],
    [5400, '1h30m'],
    [2764800, '768h'],
    [-3600, '-1h'],
  ])('%i seconds → %s', (seconds, expected) => {
    expect(humanizeSeconds(seconds)).toBe(expected);
    expect(renderHumanDuration(BigInt(seconds) * s)).toBe(expected);
  });

  it('leaves anything but an integer alone, as Vault does', () => {
    expect(humanizeSeconds('768h')).toBe('768h');
    expect(humanizeSeconds(2.5)).toBe(2.5);
    expect(humanizeSeconds(null)).toBe(null);
  });
});
