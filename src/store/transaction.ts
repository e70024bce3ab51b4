import { SecretrunError } from '../errors.js';
import type { Storage } from './storage.js';

// The rules every Store's transactions follow, kept in one place so the memory store and the
// file store cannot drift apart (test/store/store-contract.ts holds them to it).

// The error for a write inside a read-only view.
export function readOnlyError(): SecretrunError {
  return new SecretrunError('internal', 'a read transaction tried to write the store');
}

// The error for a store used after close(); `what` names the store.
export function closedError(what: string): SecretrunError {
  return new SecretrunError('internal', `${what} is closed`);
}

// Throws unless a transaction function returned a plain value. A transaction runs with the
// whole store in memory and, for a file, the lock held: an await inside it would hold the
// lock across I/O, and writes made after the await would land after the commit. The
// abandoned promise's own rejection is marked handled: the caller gets this error instead.
export function checkSynchronous(result: unknown): void {
  if (typeof (result as { then?: unknown } | null)?.then !== 'function') return;
  (result as PromiseLike<unknown>).then(undefined, () => undefined);
  throw new SecretrunError('internal', 'a store transaction must be synchronous (it returned a promise)');
}

// A view valid only while its transaction runs: `end()` makes every later call throw, so a
// view kept past its transaction (by an async function, say) cannot read or write anything.
export function createScopedView(view: Storage): { storage: Storage; end(): void } {
  let open = true;
  const check = (): void => {
    if (!open) throw new SecretrunError('internal', 'a store view was used after its transaction ended');
  };
  return {
    storage: {
      get: (key) => (check(), view.get(key)),
      put: (key, value) => (check(), view.put(key, value)),
      delete: (key) => (check(), view.delete(key)),
      list: (prefix) => (check(), view.list(prefix)),
    },
    end() {
      open = false;
    },
  };
}

// Runs one transaction function over `view`: rejects async functions, and ends the view
// whatever happens. The caller commits only when this returns.
export function runTransaction<T>(view: Storage, fn: (storage: Storage) => T): T {
  const scoped = createScopedView(view);
  try {
    const result = fn(scoped.storage);
    checkSynchronous(result);
    return result;
  } finally {
    scoped.end();
  }
}

// A queue that runs tasks one at a time in the order they were added: one process's
// transactions on one store never interleave and apply in call order.
export function createSerialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
}
