import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCronSchedule } from '../../src/database/cron-schedule.js';
import { errorOf } from '../kv/kv-harness.js';

const at = (iso: string): number => Date.parse(iso);
const next = (spec: string, after: string): string => new Date(nextCronTime(parseCronSchedule(spec), at(after)) ?? 0).toISOString();

describe('rotation_schedule (cron, UTC)', () => {
  it('finds the next time strictly after the given one', () => {
    expect(next('0 0 * * SAT', '2025-01-01T12:00:00Z')).toBe('2025-01-04T00:00:00.000Z');
    expect(next('*/15 * * * *', '2025-01-01T12:00:00Z')).toBe('2025-01-01T12:15:00.000Z');
    expect(next('30 2 1 * *', '2025-01-31T00:00:00Z')).toBe('2025-02-01T02:30:00.000Z');
    expect(next('0 9 * JAN-MAR MON-FRI', '2025-03-28T10:00:00Z')).toBe('2025-03-31T09:00:00.000Z');
    expect(next('@daily', '2025-06-30T23:59:30Z')).toBe('2025-07-01T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2025-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('matches either day field when both are restricted, as cron does', () => {
    // The 13th, or any Friday.
    expect(next('0 0 13 * 5', '2025-06-01T00:00:00Z')).toBe('2025-06-06T00:00:00.000Z');
    expect(next('0 0 13 * 5', '2025-06-10T00:00:00Z')).toBe('2025-06-13T00:00:00.000Z');
  });

  it('refuses what is not a schedule, and names none for a date that never comes', async () => {
    expect((await errorOf(() => parseCronSchedule('* * *'))).message).toBe('could not parse rotation_schedule: expected exactly 5 fields, found 3');
    expect((await errorOf(() => parseCronSchedule('61 * * * *'))).message).toContain('beyond the range 0-59');
    expect((await errorOf(() => parseCronSchedule('x * * * *'))).message).toContain('failed to parse int from x');
    expect(nextCronTime(parseCronSchedule('0 0 30 2 *'), at('2025-01-01T00:00:00Z'))).toBeUndefined();
  });
});
