import { acquireStoreLock, isPidAlive } from './lock.js';
import { hasLiveWaiter, yieldToWaiter } from './lock-waiter.js';
import { lockPathOf } from './store-paths.js';

// The store lock as one process holds it: several holders at once (a group-commit pass and a
// background checkpoint) share one lock file, taken when the first holds it and released when
// the last lets go. `onTaken` runs each time the file lock is taken, before any holder goes on:
// then no holder of this process has anything in flight (temp files of a killed writer can be
// removed, and only then: a background checkpoint's temp files live while it holds the lock).

// How long a writer steps aside for another process announced as waiting before it takes the
// lock again anyway (a waiter polls every 20 ms at most, so it normally takes its turn at once).
const yieldMs = 1_000;

// One process's hold on the lock of one store.
export interface LockHolder {
  /** Holds the lock, taking the file lock unless this process holds it already. */
  hold(): Promise<void>;
  /** Lets go of one hold; the file lock is released with the last. */
  release(): Promise<void>;
  /** Is the file lock held by this process now? */
  readonly held: boolean;
  /** Does another process wait for the lock? (Then a writer should not keep it.) */
  contended(): boolean;
}

// The holder of the lock of the store at `storePath`; `timeoutMs` bounds each wait for it.
export function createLockHolder(storePath: string, timeoutMs: number | undefined, onTaken: () => Promise<void>): LockHolder {
  const lockFile = lockPathOf(storePath);
  let holds = 0;
  let releaseFile: (() => Promise<void>) | undefined;
  // Takes and releases of the file lock, one at a time and in order.
  let transition: Promise<unknown> = Promise.resolve();
  const serially = <T>(step: () => Promise<T>): Promise<T> => {
    const next = transition.then(step, step);
    transition = next.catch(() => undefined);
    return next;
  };
  return {
    async hold() {
      holds++;
      try {
        await serially(async () => {
          if (releaseFile !== undefined) return;
          await yieldToWaiter(lockFile, isPidAlive, yieldMs);
          const release = await acquireStoreLock(storePath, timeoutMs);
          try {
            await onTaken();
          } catch (error) {
            await release();
            throw error;
          }
          releaseFile = release;
        });
      } catch (error) {
        holds--;
        throw error;
      }
    },
    async release() {
      holds--;
      await serially(async () => {
        if (holds > 0 || releaseFile === undefined) return;
        const release = releaseFile;
        releaseFile = undefined;
        await release();
      });
    },
    get held() {
      return releaseFile !== undefined;
    },
    contended() {
      return hasLiveWaiter(lockFile, isPidAlive);
    },
  };
}
