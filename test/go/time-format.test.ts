import { describe, expect, it } from 'vitest';
import { formatGoTime } from '../../src/go/time-format.js';

// 2021-02-25T23:13:56.789Z, a Thursday, day 56 of the year.
const t = Date.UTC(2021, 1, 25, 23, 13, 56, 789);

describe('formatGoTime', () => {
  it.each([
    ['2006-01-02 15:04:05-0700', '2021-02-25 23:13:56+0000'],
    ['2006-01-02T15:04:05Z07:00', '2021-02-25T23:13:56Z'],
    ['Mon Jan _2 15:04:05 MST 2006', 'Thu Feb 25 23:13:56 UTC 2021'],
    ['Monday, January 2, 2006', 'Thursday, February 25, 2021'],
    ['3:04PM', '11:13PM'],
    ['03:04:05 pm', '11:13:56 pm'],
    ['06/1/2 002', '21/2/25 056'],
    ['15:04:05.000', '23:13:56.789'],
    ['15:04:05.000000', '23:13:56.789000'],
    ['15:04:05.999999', '23:13:56.789'],
    ['20060102150405', '20210225231356'],
    ['-07:00 -07 Z0700', '+00:00 +00 Z'],
    ['Janet', 'Janet'],
    ['literal text', 'literal text'],
  ])('%s → %s', (layout, expected) => {
    expect(formatGoTime(t, layout)).toBe(expected);
  });

  it('trims a .999 fraction of a whole second away entirely', () => {
    expect(formatGoTime(Date.UTC(2021, 0, 1, 0, 0, 1), '05.999')).toBe('01');
  });

  it('renders 12 for noon and midnight on the 12-hour clock', () => {
    expect(formatGoTime(Date.UTC(2021, 0, 1, 0, 5), '3:04 PM')).toBe('12:05 AM');
    expect(formatGoTime(Date.UTC(2021, 0, 1, 12, 5), '03:04 PM')).toBe('12:05 PM');
  });
});
