import { compareGoStrings } from '../go/string-order.js';
import { abandonCheckpoint, finishCheckpoint, joinWritten, planCheckpoint, prepareCheckpoint } from './checkpoint.js';
import { closeJournal, createJournal, removeJournal } from './journal.js';
import type { JournalFile } from './journal.js';
import type { JournalChange } from './store-view.js';
import { targetOf } from './writer-context.js';
import type { WriterContext } from './writer-context.js';

// The background checkpoint of a journal writer (the server): the store and state files are
// rendered with the journal's changes and written to temp files while passes go on appending;
// then, between two passes, a checkpoint record, the renames, and a new journal holding the
// records that came meanwhile. It runs after `records` records, `bytes` bytes or `ms`
// milliseconds (store-writer.ts asks), on demand, and on close.

// When a journal is checkpointed (see docs/store-format.md for the defaults' measurements).
export interface JournalSettings {
  records: number;
  bytes: number;
  ms: number;
}

// The checkpoints of one journal writer.
export interface JournalCheckpointer {
  /** Called after a record was appended: starts the timer, or a checkpoint when a threshold is passed. */
  appended(journal: JournalFile): void;
  /** Checkpoints now (after one already running), reporting failures to the caller. */
  now(): Promise<void>;
  /** Stops the timer and waits for a running checkpoint. */
  stop(): Promise<void>;
}

const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// A checkpointer over `context` with `settings`; `onError` hears of background failures.
export function createJournalCheckpointer(context: WriterContext, settings: JournalSettings, onError: ((error: unknown) => void) | undefined): JournalCheckpointer {
  const { loaded, paths, prefixes, holder, exclusive } = context;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const startTimer = (): void => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void soon();
    }, settings.ms).unref();
  };

  const checkpoint = async (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    await holder.hold();
    try {
      const start = await exclusive(async () => {
        await context.verify();
        const { store, journal } = loaded;
        if (store === undefined || journal === undefined) return undefined;
        const envelopes = new Map([...loaded.changes].map(([key, change]) => [key, change.envelope]));
        return { store, journal, state: loaded.state(), envelopes, upto: journal.lastSeq };
      });
      if (start === undefined) return;
      const base = { store: start.store, state: start.state };
      const plan = await planCheckpoint(base, targetOf(start.store), start.envelopes, prefixes, { pause });
      context.checkSize(plan);
      const prepared = await prepareCheckpoint(paths, plan, base, pause);
      // The new files as single buffers, for the reads that follow; copied in slices too.
      const contiguous = { store: await joinWritten(prepared.store, plan.store, pause), state: await joinWritten(prepared.state, plan.state, pause) };
      await exclusive(async () => {
        if (context.stale || loaded.journal !== start.journal || loaded.store !== start.store) return abandonCheckpoint(prepared);
        context.stale = true;
        const key = context.journalKey(start.store);
        const files = await finishCheckpoint(paths, prepared, base, { file: start.journal, upto: start.upto }, contiguous);
        const rest = [...loaded.changes].filter(([, change]) => change.seq > start.upto).sort(([a], [b]) => compareGoStrings(a, b));
        await closeJournal(start.journal);
        let next: JournalFile | undefined;
        if (rest.length === 0) await removeJournal(paths.journal);
        else {
          const header = { id: start.store.header.id, store: prepared.storeMac, state: prepared.stateMac };
          next = await createJournal(paths.journal, header, [{ seq: 1, kind: 'set', set: rest.map(([k, change]) => [k, change.envelope] as const) }], key);
        }
        const changes = new Map<string, JournalChange>(rest.map(([k, change]) => [k, { ...change, seq: 1 }]));
        await loaded.adopt({ store: files.store, state: files.state, journal: next, changes });
        context.stale = false;
        if (next !== undefined) startTimer();
      });
    } finally {
      await holder.release();
    }
  };

  const soon = (): Promise<void> => {
    running ??= checkpoint()
      .catch((error: unknown) => onError?.(error))
      .finally(() => (running = undefined));
    return running;
  };

  return {
    appended(journal) {
      if (journal.records >= settings.records || journal.size >= settings.bytes) void soon();
      else startTimer();
    },
    async now() {
      await running;
      await checkpoint();
    },
    async stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
