import { describe, expect, it } from 'vitest';
import { parseGoBool, parseGoInt } from '../../src/go/strconv.js';

describe('parseGoBool (strconv.ParseBool)', () => {
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('%s is true', (text) => expect(parseGoBool(text)).toEqual({ ok: true, value: true }));
  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('%s is false', (text) =>
    expect(parseGoBool(text)).toEqual({ ok: true, value: false }),
  );
  it.each(['yes', 'tRue', '', ' true'])('%j is invalid', (text) => expect(parseGoBool(text).ok).toBe(false));
});

describe('parseGoInt (strconv.ParseInt base 0)', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['-7', -7],
    ['+7', 7],
    ['0x1F', 31],
    ['0X1f', 31],
    ['0o17', 15],
    ['017', 15],
    ['0b101', 5],
    ['1_000', 1000],
    ['0x_1F', 31],
    ['9223372036854775807', 9223372036854775807],
    ['-9223372036854775808', -9223372036854775808],
  ])('%s → %d', (text, value) => expect(parseGoInt(text)).toEqual({ ok: true, value }));

  it.each(['', '-', 'x', '1.5', '08', '_1', '1_', '1__0', '0x', ' 1', '1e3'])('%j is a syntax error', (text) => {
    expect(parseGoInt(text)).toEqual({ ok: false, error: `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax` });
  });

  it('reports values beyond int64 as out of range', () => {
    expect(parseGoInt('9223372036854775808')).toEqual({
      ok: false,
      error: 'strconv.ParseInt: parsing "9223372036854775808": value out of range',
    });
  });
});
