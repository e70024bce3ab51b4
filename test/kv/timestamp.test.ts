import { describe, expect, it } from 'vitest';
import { formatOptionalTimestamp, formatTimestamp } from '../../src/kv/timestamp.js';

describe('formatTimestamp', () => {
  it.each([
    ['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00Z'],
    ['2024-05-01T10:00:00.500Z', '2024-05-01T10:00:00.5Z'],
    ['2024-05-01T10:00:00.120Z', '2024-05-01T10:00:00.12Z'],
    ['2018-03-22T02:24:06.945Z', '2018-03-22T02:24:06.945Z'],
  ])('%s → %s', (iso, expected) => {
    expect(formatTimestamp(Date.parse(iso))).toBe(expected);
  });

  it('renders an unset time as the empty string', () => {
    expect(formatOptionalTimestamp(null)).toBe('');
    expect(formatOptionalTimestamp(Date.parse('2024-01-01T00:00:01Z'))).toBe('2024-01-01T00:00:01Z');
  });
});
