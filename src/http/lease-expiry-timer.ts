import { readNextDue } from '../sys/lease-schedule.js';
import type { Store } from '../store/storage.js';
import type { DynamicLoader } from './dynamic-loader.js';

// The server's clock for leases and static roles: one timer, set for the earliest time in the
// schedule (sys/lease/next), not a poll over every lease. When it fires, the engine revokes
// what expired, retries failed revocations and rotates static roles, then the timer is set
// again; every change to the schedule (a new lease, a renewal) re-arms it.

// setTimeout's longest delay; a later time is reached in steps.
const maxDelayMs = 2 ** 31 - 1;

// How often the timer reads the one key again, for leases and roles another process (a local
// command on the same store) scheduled: this server's own changes re-arm it at once.
const defaultRecheckMs = 10_000;

export interface LeaseExpiryTimer {
  /** Reads the schedule and sets the timer for its earliest time. */
  reschedule(): void;
  /** Stops the timer and waits for a sweep under way. */
  stop(): Promise<void>;
}

// Starts the timer over `store`.
export function startLeaseExpiry(options: { store: Store; dynamic: DynamicLoader; now: () => number; logError: (line: string) => void; recheckMs?: number }): LeaseExpiryTimer {
  const { store, dynamic, now } = options;
  let timer: NodeJS.Timeout | undefined;
  let armedFor: number | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const arm = (next: number | undefined): void => {
    if (stopped || next === armedFor) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    armedFor = next;
    if (next === undefined) return;
    timer = setTimeout(fire, Math.min(maxDelayMs, Math.max(0, next - now())));
    // The timer never keeps a stopping server alive.
    timer.unref();
  };

  const readAndArm = async (): Promise<void> => {
    arm(await store.read(readNextDue));
  };

  function fire(): void {
    timer = undefined;
    armedFor = undefined;
    running = running
      .then(async () => {
        const at = now();
        const next = await store.read(readNextDue);
        if (next !== undefined && next <= at) {
          await (await dynamic.load()).sweep({ now: at, read: (fn) => store.read(fn), update: (fn) => store.update(fn) });
        }
        await readAndArm();
      })
      .catch((error: unknown) => {
        options.logError(`secretrun server: lease expiry failed: ${error instanceof Error ? error.message.split('\n', 1)[0] : String(error)}`);
        // Try again soon rather than never.
        if (!stopped) arm(now() + 5000);
      });
  }

  void readAndArm().catch((error: unknown) => options.logError(`secretrun server: lease expiry failed: ${String(error)}`));
  const recheck = setInterval(() => void readAndArm().catch(() => undefined), options.recheckMs ?? defaultRecheckMs);
  recheck.unref();
  return {
    reschedule() {
      void readAndArm().catch(() => undefined);
    },
    async stop() {
      stopped = true;
      clearInterval(recheck);
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
