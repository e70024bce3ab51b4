import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { SecretrunError } from '../errors.js';
import { makePrivateDir } from '../fs/private-file.js';
import { compareGoStrings } from '../go/string-order.js';
import { finishCheckpoint, planCheckpoint, prepareCheckpoint } from './checkpoint.js';
import { createGroupCommit, runBatch } from './group-commit.js';
import type { Outcome, TransactionFn } from './group-commit.js';
import { prepareNewStore } from './init-store.js';
import type { StoreCreation } from './init-store.js';
import { appendJournal, closeJournal, createJournal, removeJournal } from './journal.js';
import type { JournalFile } from './journal.js';
import { createJournalCheckpointer } from './journal-checkpointer.js';
import type { JournalSettings } from './journal-checkpointer.js';
import type { LoadedStore } from './loaded-store.js';
import type { KeyOptions } from './root-key.js';
import { ensureStateDir } from './state-dir.js';
import type { Storage } from './storage.js';
import { integrityError } from './store-format.js';
import { writeStoreGitattributes } from './store-gitattributes.js';
import type { StorePaths } from './store-load.js';
import { ioError, sealEntry } from './store-snapshot.js';
import type { StoreSnapshot } from './store-snapshot.js';
import type { EntryReader } from './store-view.js';
import { createWriterContext, targetOf } from './writer-context.js';

// The write side of a FileStore. Transactions go through group commit (group-commit.ts); each
// pass holds the store lock, checks under it that the files are still what this process
// loaded (reloading them if another process wrote), runs the batch and makes it durable:
// - rewrite mode (the CLI, the library): the store and state files are rewritten with the
//   batch's changes and any journal's folded in (checkpoint.ts), and the journal removed;
// - journal mode (the server): the batch is one record appended to the journal and
//   fdatasynced, folded into the files in the background (journal-checkpointer.ts). A store
//   that does not exist yet, or still holds runtime keys in its store file, is written as in
//   rewrite mode.
// While more transactions wait, the lock is kept for the next pass unless another process
// waits for it (lock-waiter.ts).


// What the writer needs to know.
export interface WriterOptions extends KeyOptions {
  paths: StorePaths;
  create: boolean;
  onCreated: ((creation: StoreCreation) => void) | undefined;
  lockTimeoutMs: number | undefined;
  maxBytes: number;
  prefixes: readonly string[];
  /** Journal mode when given. */
  journal: JournalSettings | undefined;
  onCheckpointError: ((error: unknown) => void) | undefined;
}

// The write side of one open store.
export interface StoreWriter {
  update<T>(fn: (storage: Storage) => T): Promise<T>;
  /** Folds the journal into the files now (journal mode; nothing to do otherwise). */
  checkpoint(): Promise<void>;
  /** Is the lock held by this process, and the files checked since it was taken (so no other process can have changed them)? */
  readonly busy: boolean;
  /** After the first load: a journal left by a writer that died is checkpointed soon. */
  opened(): void;
  /** Finishes queued writes, checkpoints the journal and lets go of the lock. */
  close(): Promise<void>;
}

// How long a journal writer keeps the lock after a pass when no write waits yet.
const lingerMs = 20;

// The writer of the store `loaded` holds, reading through `reader`.
export function createStoreWriter(loaded: LoadedStore, reader: EntryReader, options: WriterOptions): StoreWriter {
  const { paths, prefixes } = options;
  const context = createWriterContext(loaded, options);
  const { holder } = context;
  const checkpointer = options.journal === undefined ? undefined : createJournalCheckpointer(context, options.journal, options.onCheckpointError);
  const legacy = new WeakMap<StoreSnapshot, boolean>();
  let lingering = false;
  let idleRelease: NodeJS.Timeout | undefined;
  let closing = false;

  const hasLegacyKeys = (store: StoreSnapshot): boolean => {
    let found = legacy.get(store);
    if (found === undefined) legacy.set(store, (found = prefixes.some((prefix) => store.entries.keysWithPrefix(prefix).length > 0)));
    return found;
  };
  const view = (batch: ReadonlyMap<string, string | null>, own: Map<string, string | null>): Storage => reader.view(loaded.layers, batch, own);

  // Rewrites the files with the journal's changes and `extra` (plaintexts; null deletes).
  const rewrite = async (extra: ReadonlyMap<string, string | null>): Promise<void> => {
    let target = loaded.store === undefined ? undefined : targetOf(loaded.store);
    let creation: StoreCreation | undefined;
    if (target === undefined) {
      if (!options.create) throw new SecretrunError('store_io', `cannot write store ${paths.store}: it does not exist (run \`secretrun init\` to create it)`);
      if (existsSync(paths.state)) throw integrityError(paths.state, `it is there but its store ${paths.store} is not; restore the store file`);
      const fresh = await prepareNewStore(paths.store, options);
      await writeStoreGitattributes(paths.store).catch((error: unknown) => {
        throw ioError(paths.store, 'write', error);
      });
      target = { header: fresh.header, rootKey: { key: fresh.rootKey, source: 'the new key' }, dataKeys: fresh.dataKeys };
      creation = fresh.creation;
    }
    const envelopes = new Map<string, string | null>();
    for (const [key, change] of loaded.changes) envelopes.set(key, change.envelope);
    for (const [key, text] of extra) envelopes.set(key, text === null ? null : sealEntry(target, key, text));
    const base = { store: loaded.store, state: loaded.state() };
    const plan = await planCheckpoint(base, target, envelopes, prefixes);
    context.checkSize(plan);
    const journal = loaded.journal;
    context.stale = true;
    const prepared = await prepareCheckpoint(paths, plan, base).catch((error: unknown) => {
      throw ioError(paths.store, 'write', error);
    });
    const folded = journal === undefined ? undefined : { file: journal, upto: journal.lastSeq };
    const files = await finishCheckpoint(paths, prepared, base, folded).catch((error: unknown) => {
      throw ioError(paths.store, 'write', error);
    });
    if (journal !== undefined) {
      await closeJournal(journal);
      await removeJournal(paths.journal).catch((error: unknown) => {
        throw ioError(paths.journal, 'write', error);
      });
    }
    await loaded.adopt({ store: files.store, state: files.state, journal: undefined, changes: new Map() });
    context.stale = false;
    if (creation !== undefined) options.onCreated?.(creation);
  };

  // Appends the batch's changes to the journal as one record and makes it durable.
  const append = async (store: StoreSnapshot, journal: JournalFile | undefined, changes: ReadonlyMap<string, string | null>): Promise<void> => {
    const sorted = [...changes].sort(([a], [b]) => compareGoStrings(a, b));
    const set = sorted.map(([key, text]) => [key, text === null ? null : sealEntry(store, key, text)] as const);
    context.stale = true;
    try {
      if (journal === undefined) {
        await ensureStateDir(paths.journal);
        const header = { id: store.header.id, store: store.mac, state: loaded.state()?.mac ?? null };
        journal = await createJournal(paths.journal, header, [{ seq: 1, kind: 'set', set }], context.journalKey(store));
        await loaded.adopt({ journal });
      } else {
        await appendJournal(journal, [{ seq: journal.lastSeq + 1, kind: 'set', set }]);
        loaded.appended();
      }
    } catch (error) {
      throw ioError(paths.journal, 'write', error);
    }
    context.stale = false;
    const seq = journal.lastSeq;
    sorted.forEach(([key, text], i) => loaded.changes.set(key, { envelope: (set[i] as readonly [string, string | null])[1], seq, text }));
    checkpointer?.appended(journal);
  };

  const runPass = async (fns: TransactionFn[]): Promise<Outcome[]> => {
    const { outcomes, changes } = runBatch(fns, view);
    const effective = reader.effectiveChanges(loaded.layers, changes);
    if (effective.size === 0) return outcomes;
    const { store, journal } = loaded;
    // A journal past half the size limit means checkpoints keep failing: write through instead.
    if (checkpointer === undefined || store === undefined || hasLegacyKeys(store) || (journal?.size ?? 0) > options.maxBytes / 2) await rewrite(effective);
    else await append(store, journal, effective);
    return outcomes;
  };

  const releaseAfterPass = async (): Promise<void> => {
    // Kept for the next pass, unless another process waits for it: a journal writer keeps it
    // a moment even when nothing waits yet (taking it costs more than a pass's fdatasync).
    const more = commit.waiting() > 0;
    if (closing || (!more && checkpointer === undefined) || holder.contended()) return holder.release();
    lingering = true;
    if (more) return;
    idleRelease = setTimeout(() => {
      idleRelease = undefined;
      if (!lingering) return;
      lingering = false;
      void holder.release();
    }, lingerMs).unref();
  };

  const pass = async (take: () => TransactionFn[]): Promise<Outcome[]> => {
    // Only a store not written yet needs its directory: for every other pass this was an
    // fs.mkdir round trip through libuv's thread pool (0.1-0.7 ms of each server write,
    // bench/database-server.mjs).
    if (options.create && loaded.store === undefined) {
      await makePrivateDir(dirname(paths.store)).catch((error: unknown) => {
        throw ioError(paths.store, 'write', error);
      });
    }
    if (idleRelease !== undefined) clearTimeout(idleRelease);
    idleRelease = undefined;
    if (lingering) lingering = false;
    else await holder.hold();
    try {
      await context.verify();
      return await runPass(take());
    } finally {
      await releaseAfterPass();
    }
  };
  const commit = createGroupCommit((take) => context.exclusive(() => pass(take)));

  return {
    update: (fn) => commit.submit(fn),
    async checkpoint() {
      await checkpointer?.now();
    },
    get busy() {
      return holder.held && context.checked;
    },
    opened() {
      if (loaded.journal !== undefined) checkpointer?.appended(loaded.journal);
    },
    async close() {
      closing = true;
      await commit.idle();
      if (idleRelease !== undefined) clearTimeout(idleRelease);
      idleRelease = undefined;
      try {
        await checkpointer?.stop();
        if (checkpointer !== undefined && loaded.journal !== undefined) await checkpointer.now();
      } finally {
        if (lingering) {
          lingering = false;
          await holder.release();
        }
      }
    },
  };
}
