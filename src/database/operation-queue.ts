// Runs a plugin's operations one at a time, as Vault's plugins do (each holds a lock for the
// whole operation): PostgreSQL refuses two concurrent GRANTs on the same table ("tuple
// concurrently updated"), so credentials read side by side would fail at random otherwise.

// A queue of async operations, each started when the one before it settled.
export interface OperationQueue {
  run<T>(operation: () => Promise<T>): Promise<T>;
}

// An empty queue.
export function createOperationQueue(): OperationQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(operation) {
      const result = tail.then(operation, operation);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
