import type { Storage } from './storage.js';
import { runTransaction } from './transaction.js';

// Group commit: transactions that arrive while a pass is making earlier ones durable wait,
// and the next pass takes all of them at once: it runs them in arrival order, each on its own
// overlay over the state the ones before it left (so one that throws writes nothing and
// changes nothing for the others), makes their changes durable in one write (one fsync), and
// only then answers each caller. So the order of writes to one key is the order of their
// acknowledgement, and a write is acknowledged only once it is on disk.

// A transaction function, as Store.update takes it.
export type TransactionFn = (storage: Storage) => unknown;

// What one transaction of a batch came to.
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

// Builds the view a transaction runs on: `batch` (the changes of the transactions before it)
// under `own` (its own changes), over the durable state. Values are plaintext JSON; null deletes.
export type OverlayView = (batch: ReadonlyMap<string, string | null>, own: Map<string, string | null>) => Storage;

// Runs a batch's transactions in order over `view`; returns each outcome and the batch's changes.
export function runBatch(fns: readonly TransactionFn[], view: OverlayView): { outcomes: Outcome[]; changes: Map<string, string | null> } {
  const changes = new Map<string, string | null>();
  const outcomes = fns.map((fn): Outcome => {
    const own = new Map<string, string | null>();
    try {
      const value = runTransaction(view(changes, own), fn);
      for (const [key, text] of own) changes.set(key, text);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error };
    }
  });
  return { outcomes, changes };
}

// One pass: `take()` hands over every transaction queued so far (call it once the pass may
// run them, e.g. holding the lock); resolves once their changes are durable, to their outcomes.
export type Pass = (take: () => TransactionFn[]) => Promise<Outcome[]>;

// The queue of one store's transactions.
export interface GroupCommit {
  submit<T>(fn: (storage: Storage) => T): Promise<T>;
  /** How many transactions wait for the next pass. */
  waiting(): number;
  /** Resolves once no pass runs and none waits. */
  idle(): Promise<void>;
}

interface Queued {
  fn: TransactionFn;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

// A group commit running `pass` for each batch, one pass at a time.
export function createGroupCommit(pass: Pass): GroupCommit {
  let queue: Queued[] = [];
  let running: Promise<void> | undefined;
  const loop = async (): Promise<void> => {
    while (queue.length > 0) {
      let batch: Queued[] | undefined;
      const take = (): TransactionFn[] => {
        batch = queue;
        queue = [];
        return batch.map((queued) => queued.fn);
      };
      try {
        const outcomes = await pass(take);
        (batch ?? []).forEach((queued, i) => {
          const outcome = outcomes[i] as Outcome;
          if (outcome.ok) queued.resolve(outcome.value);
          else queued.reject(outcome.error);
        });
      } catch (error) {
        // The pass failed before its changes were durable (or before it took any): none of
        // its transactions happened.
        if (batch === undefined) take();
        for (const queued of batch ?? []) queued.reject(error);
      }
    }
    running = undefined;
  };
  return {
    submit<T>(fn: (storage: Storage) => T) {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
        // Started on a later tick, so that transactions submitted together share a pass.
        running ??= Promise.resolve().then(loop);
      });
    },
    waiting: () => queue.length,
    idle: async () => {
      while (running !== undefined) await running;
    },
  };
}
