// When to poll a server again: every interval with jitter while polls succeed, so many runners
// do not poll in step, and after exponentially growing waits while they fail, so a server that
// is down is not hammered, up to a ceiling, so one that comes back is noticed.
export interface PollSchedule {
  readonly intervalMs: number;
  /** Fraction of the wait added or removed at random. */
  readonly jitter: number;
  /** Longest wait after repeated failures. */
  readonly maxBackoffMs: number;
  /** In [0, 1). */
  readonly random: () => number;
}

// The wait before the next poll after `failures` failed polls in a row. Failures start from the
// interval or one second, whichever is shorter, and double. Pure but for `random`.
export function nextPollDelay(schedule: PollSchedule, failures: number): number {
  const { intervalMs, jitter, maxBackoffMs } = schedule;
  const base = failures === 0 ? intervalMs : Math.min(maxBackoffMs, Math.min(intervalMs, 1000) * 2 ** (failures - 1));
  return Math.max(10, base * (1 + jitter * (2 * schedule.random() - 1)));
}

// What the loop tells its owner after each poll.
export interface PollHandlers<T> {
  /** A poll succeeded; `recovered` when the ones before it had failed. */
  succeeded(result: T, recovered: boolean): void;
  /** A poll failed; `attempt` counts the failures in a row. */
  failed(error: unknown, attempt: number): void;
}

// Polls with `poll` on `schedule` until the returned function is called; nothing is reported
// after that, even for a poll under way.
export function startPollLoop<T>(schedule: PollSchedule, poll: () => Promise<T>, handlers: PollHandlers<T>): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failures = 0;
  const next = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void round(), nextPollDelay(schedule, failures));
  };
  const round = async (): Promise<void> => {
    try {
      const result = await poll();
      if (stopped) return;
      const recovered = failures > 0;
      failures = 0;
      handlers.succeeded(result, recovered);
    } catch (error) {
      if (stopped) return;
      failures += 1;
      handlers.failed(error, failures);
    }
    next();
  };
  next();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
