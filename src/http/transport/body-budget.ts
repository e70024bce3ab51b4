// The server-wide budget of request bytes held in memory beyond each connection's small free
// allowance: request bodies being read or handled, and unusually large heads. A connection
// reserves before it reads; when the budget is spent it stops reading its socket and queues.
// Grants are first come, first served, so a large body is not starved by a stream of small ones.

// One server's budget.
export interface BodyBudget {
  /** Bytes currently reserved. */
  readonly reserved: number;
  /** Reserves `bytes` now if they are free and nobody is queued before us. */
  tryReserve(bytes: number): boolean;
  /**
   * Queues for `bytes`; `onGranted` runs once they are reserved for the caller. Returns a
   * cancel function, which does nothing once granted.
   */
  wait(bytes: number, onGranted: () => void): () => void;
  /** Returns `bytes` reserved earlier, granting queued reservations that now fit. */
  release(bytes: number): void;
}

interface Waiter {
  bytes: number;
  onGranted: () => void;
}

// Creates a budget of `totalBytes`. A single reservation larger than the total is refused by
// tryReserve and waits forever, so callers bound what one request may reserve.
export function createBodyBudget(totalBytes: number): BodyBudget {
  let reserved = 0;
  const queue: Waiter[] = [];

  const grant = (): void => {
    while (queue.length > 0) {
      const first = queue[0] as Waiter;
      if (reserved + first.bytes > totalBytes) return;
      queue.shift();
      reserved += first.bytes;
      first.onGranted();
    }
  };

  return {
    get reserved() {
      return reserved;
    },
    tryReserve(bytes) {
      if (queue.length > 0 || reserved + bytes > totalBytes) return false;
      reserved += bytes;
      return true;
    },
    wait(bytes, onGranted) {
      const waiter: Waiter = { bytes, onGranted };
      queue.push(waiter);
      grant();
      return () => {
        const at = queue.indexOf(waiter);
        if (at === -1) return;
        queue.splice(at, 1);
        // The first in line leaving may let the next ones in.
        if (at === 0) grant();
      };
    },
    release(bytes) {
      reserved = Math.max(0, reserved - bytes);
      grant();
    },
  };
}
