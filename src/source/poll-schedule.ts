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

// What one poll found: a value, or why it could not find one.
export type PollOutcome<T> = { readonly value: T } | { readonly failure: string };

// What the loop tells its owner after each poll.
export interface PollHandlers<T> {
  /** A poll succeeded; `recovered` when the ones before it had failed. */
  succeeded(result: T, recovered: boolean): void;
  /** A poll failed (`reason` names no value); `attempt` counts the failures in a row. */
  failed(reason: string, attempt: number): void;
}

// Polls with `poll` on `schedule` until the returned function is called; nothing is reported
// after that, even for a poll under way. A poll that throws (the server unreachable) failed.
export function startPollLoop<T>(schedule: PollSchedule, poll: () => Promise<PollOutcome<T>>, handlers: PollHandlers<T>): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failures = 0;
  const next = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void round(), nextPollDelay(schedule, failures));
  };
  const round = async (): Promise<void> => {
    let outcome: PollOutcome<T>;
    try {
      outcome = await poll();
    } catch (error) {
      outcome = { failure: error instanceof Error ? error.message : String(error) };
    }
    if (stopped) return;
    if ('failure' in outcome) {
      failures += 1;
      handlers.failed(outcome.failure, failures);
    } else {
      const recovered = failures > 0;
      failures = 0;
      handlers.succeeded(outcome.value, recovered);
    }
    next();
  };
  next();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
