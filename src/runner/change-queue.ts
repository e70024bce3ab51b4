// Turns "something may have changed" notices into runs of `apply`: after `debounceMs` without
// a further notice (so a burst of writes is one run; `debounceMs` is asked at each notice, as
// an edited manifest may change it), and never two at once (a notice during a
// run makes one more run right after it).
export interface ChangeQueue {
  notify(): void;
  /** No more runs start; one under way finishes. */
  close(): void;
}

// A queue around `apply`, which must not throw.
export function createChangeQueue(debounceMs: () => number, apply: () => Promise<void>): ChangeQueue {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pending = false;
  let closed = false;
  const run = async (): Promise<void> => {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    try {
      await apply();
    } finally {
      running = false;
      if (pending && !closed) {
        pending = false;
        void run();
      }
    }
  };
  return {
    notify() {
      if (closed) return;
      clearTimeout(timer);
      timer = setTimeout(() => void run(), debounceMs());
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
