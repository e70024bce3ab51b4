import { describe, expect, it } from 'vitest';
import { nextPollDelay, type PollSchedule } from '../../src/source/poll-schedule.js';

const schedule = (random: number, overrides: Partial<PollSchedule> = {}): PollSchedule => ({
  intervalMs: 30_000,
  jitter: 0.1,
  maxBackoffMs: 300_000,
  random: () => random,
  ...overrides,
});

describe('nextPollDelay', () => {
  it('waits the interval, moved by at most the jitter either way', () => {
    expect(nextPollDelay(schedule(0.5), 0)).toBe(30_000);
    expect(nextPollDelay(schedule(0), 0)).toBe(27_000);
    expect(nextPollDelay(schedule(0.9999999), 0)).toBeCloseTo(33_000, 0);
  });

  it('backs off from one second (or the interval when shorter), doubling, up to the ceiling', () => {
    expect([1, 2, 3, 4, 9, 12].map((failures) => nextPollDelay(schedule(0.5), failures))).toEqual([1_000, 2_000, 4_000, 8_000, 256_000, 300_000]);
    expect([1, 2, 3].map((failures) => nextPollDelay(schedule(0.5, { intervalMs: 30, maxBackoffMs: 100 }), failures))).toEqual([30, 60, 100]);
  });

  it('never polls sooner than 10 ms', () => {
    expect(nextPollDelay(schedule(0, { intervalMs: 1, jitter: 0.5 }), 0)).toBe(10);
  });
});
