import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { SecretrunError } from '../errors.js';
import { removeStaleTempFiles } from '../fs/atomic-write.js';
import { makePrivateDir } from '../fs/private-file.js';
import { compareGoStrings } from '../go/string-order.js';
import { abandonCheckpoint, finishCheckpoint, joinWritten, planCheckpoint, prepareCheckpoint } from './checkpoint.js';
import { signedFileLength } from './signed-file.js';
import type { CheckpointPlan, CheckpointTarget } from './checkpoint.js';
import { createGroupCommit, runBatch } from './group-commit.js';
import type { Outcome, TransactionFn } from './group-commit.js';
import { prepareNewStore } from './init-store.js';
import type { StoreCreation } from './init-store.js';
import { deriveFileMacKey } from './key-derivation.js';
import { appendJournal, closeJournal, createJournal, removeJournal } from './journal.js';
import type { JournalFile } from './journal.js';
import { createLockHolder } from './lock-holder.js';
import type { LoadedStore } from './loaded-store.js';
import type { KeyOptions } from './root-key.js';
import { ensureStateDir } from './state-dir.js';
import type { Storage } from './storage.js';
import { integrityError } from './store-format.js';
import { writeStoreGitattributes } from './store-gitattributes.js';
import type { StorePaths } from './store-load.js';
import { ioError, sealEntry, storeTooLargeError } from './store-snapshot.js';
import type { StoreSnapshot } from './store-snapshot.js';
import type { EntryReader, JournalChange } from './store-view.js';
import { createSerialQueue } from './transaction.js';

// The write side of a FileStore. Transactions go through group commit (group-commit.ts); each
// pass holds the store lock, checks under it that the files are still what this process
// loaded (reloading them if another process wrote), runs the batch and makes it durable:
// - rewrite mode (the CLI, the library): the store and state files are rewritten with the
//   batch's changes and any journal's folded in (checkpoint.ts), and the journal removed;
// - journal mode (the server): the batch is one record appended to the journal and
//   fdatasynced; a background checkpoint folds the journal into the files after
//   `records` records, `bytes` bytes or `ms` milliseconds, and on close. A store that does not
//   exist yet, or still holds runtime keys in its store file, is written as in rewrite mode.
// While a pass runs and more transactions wait, the lock is kept for the next pass unless
// another process waits for it (lock-waiter.ts).

// When a journal is checkpointed (see docs/store-format.md for the defaults' measurements).
export interface JournalSettings {
  records: number;
  bytes: number;
  ms: number;
}

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
  /** Finishes queued writes, checkpoints the journal and lets go of the lock. */
  close(): Promise<void>;
}

// How long a journal writer keeps the lock after a pass when no write waits yet.
const lingerMs = 20;

const targetOf = (store: StoreSnapshot): CheckpointTarget => ({ header: store.header, rootKey: store.rootKey, dataKeys: store.dataKeys });

// The writer of the store `loaded` holds, reading through `reader`.
export function createStoreWriter(loaded: LoadedStore, reader: EntryReader, options: WriterOptions): StoreWriter {
  const { paths, prefixes } = options;
  // Whether what is loaded was checked against the disk since the lock was last taken: until
  // then another process may have written, and reads must look at the disk.
  let checked = false;
  // A killed writer's temp files are removed whenever the lock is taken (nothing of ours is in flight then).
  const holder = createLockHolder(paths.store, options.lockTimeoutMs, async () => {
    checked = false;
    for (const file of [paths.store, paths.state, paths.journal]) await removeStaleTempFiles(file);
  });
  const exclusive = createSerialQueue();
  const legacy = new WeakMap<StoreSnapshot, boolean>();
  let lingering = false;
  let idleRelease: NodeJS.Timeout | undefined;
  let closing = false;
  // Memory may not match the disk after a write failed half-way: reload before trusting it.
  let stale = false;
  let macKey: { root: Buffer; journal: Buffer } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const journalKey = (store: StoreSnapshot): Buffer => {
    if (macKey?.root !== store.rootKey.key) macKey = { root: store.rootKey.key, journal: deriveFileMacKey(store.rootKey.key, 'journal') };
    return macKey.journal;
  };
  const hasLegacyKeys = (store: StoreSnapshot): boolean => {
    let found = legacy.get(store);
    if (found === undefined) legacy.set(store, (found = prefixes.some((prefix) => store.entries.keysWithPrefix(prefix).length > 0)));
    return found;
  };
  const view = (batch: ReadonlyMap<string, string | null>, own: Map<string, string | null>): Storage => reader.view(loaded.layers, batch, own);
  const checkSize = (plan: CheckpointPlan): void => {
    if (plan.store !== undefined && signedFileLength(plan.store) > options.maxBytes) throw storeTooLargeError(paths.store, 'write', options.maxBytes);
    if (plan.state !== undefined && signedFileLength(plan.state) > options.maxBytes) throw storeTooLargeError(paths.state, 'write', options.maxBytes);
  };

  // Under the lock: makes what is loaded what is on disk. A load a read started before the
  // lock was taken may be shared (LoadedStore.load), so the disk is compared again after it.
  const verify = async (): Promise<void> => {
    if (stale) await loaded.load();
    for (let attempt = 0; !loaded.isCurrent(true); attempt++) {
      if (attempt === 10) throw new SecretrunError('store_io', `cannot write store ${paths.store}: it keeps changing while locked (is something other than secretrun writing it?)`);
      await loaded.load();
    }
    stale = false;
    checked = true;
  };

  // Rewrites the files with the journal's changes and `extra` (plaintexts; null deletes).
  const rewrite = async (extra: ReadonlyMap<string, string | null>): Promise<void> => {
    let target = loaded.store === undefined ? undefined : targetOf(loaded.store);
    let creation: StoreCreation | undefined;
    if (target === undefined) {
      if (!options.create) throw new SecretrunError('store_io', `cannot write store ${paths.store}: it does not exist (run \`secretrun init\` to create it)`);
      if (existsSync(paths.state)) throw integrityError(paths.state, `it is there but its store ${paths.store} is not (restore the store file, or delete the state file: it holds only runtime state such as tokens)`);
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
    checkSize(plan);
    const journal = loaded.journal;
    stale = true;
    const prepared = await prepareCheckpoint(paths, plan, base).catch((error: unknown) => {
      throw ioError(paths.store, 'write', error);
    });
    const folded = journal !== undefined && loaded.store !== undefined ? { file: journal, macKey: journalKey(loaded.store), upto: journal.lastSeq } : undefined;
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
    stale = false;
    if (creation !== undefined) options.onCreated?.(creation);
  };

  // Appends the batch's changes to the journal as one record and makes it durable.
  const append = async (store: StoreSnapshot, journal: JournalFile | undefined, changes: ReadonlyMap<string, string | null>, settings: JournalSettings): Promise<void> => {
    const sorted = [...changes].sort(([a], [b]) => compareGoStrings(a, b));
    const set = sorted.map(([key, text]) => [key, text === null ? null : sealEntry(store, key, text)] as const);
    stale = true;
    try {
      if (journal === undefined) {
        await ensureStateDir(paths.journal);
        const header = { id: store.header.id, store: store.mac, state: loaded.state()?.mac ?? null };
        journal = await createJournal(paths.journal, header, [{ seq: 1, kind: 'set', set }], journalKey(store));
        await loaded.adopt({ journal });
        timer ??= setTimeout(() => {
          timer = undefined;
          void checkpointSoon();
        }, settings.ms).unref();
      } else {
        await appendJournal(journal, [{ seq: journal.lastSeq + 1, kind: 'set', set }], journalKey(store));
        loaded.appended();
      }
    } catch (error) {
      throw ioError(paths.journal, 'write', error);
    }
    stale = false;
    const seq = journal.lastSeq;
    sorted.forEach(([key, text], i) => loaded.changes.set(key, { envelope: (set[i] as readonly [string, string | null])[1], seq, text }));
    if (journal.records >= settings.records || journal.size >= settings.bytes) void checkpointSoon();
  };

  const runPass = async (fns: TransactionFn[]): Promise<Outcome[]> => {
    const { outcomes, changes } = runBatch(fns, view);
    const effective = reader.effectiveChanges(loaded.layers, changes);
    if (effective.size === 0) return outcomes;
    const { store, journal } = loaded;
    const settings = options.journal;
    // A journal past half the size limit means checkpoints keep failing: write through instead.
    if (settings === undefined || store === undefined || hasLegacyKeys(store) || (journal?.size ?? 0) > options.maxBytes / 2) await rewrite(effective);
    else await append(store, journal, effective, settings);
    return outcomes;
  };

  const pass = async (take: () => TransactionFn[]): Promise<Outcome[]> => {
    if (options.create) {
      await makePrivateDir(dirname(paths.store)).catch((error: unknown) => {
        throw ioError(paths.store, 'write', error);
      });
    }
    if (idleRelease !== undefined) clearTimeout(idleRelease);
    idleRelease = undefined;
    if (lingering) lingering = false;
    else await holder.hold();
    try {
      await verify();
      return await runPass(take());
    } finally {
      // Kept for the next pass, unless another process waits for it: a journal writer keeps it
      // a moment even when nothing waits yet (taking it costs more than a pass's fdatasync).
      const more = commit.waiting() > 0;
      if (!closing && (more || options.journal !== undefined) && !holder.contended()) {
        lingering = true;
        if (!more) {
          idleRelease = setTimeout(() => {
            idleRelease = undefined;
            if (!lingering) return;
            lingering = false;
            void holder.release();
          }, lingerMs).unref();
        }
      } else await holder.release();
    }
  };
  const commit = createGroupCommit((take) => exclusive(() => pass(take)));

  // Folds the journal into the files: rendered and written to temp files while passes go on
  // appending, then, between two passes, a checkpoint record, the renames, and a new journal
  // holding the records that came meanwhile.
  const checkpointJournal = async (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    await holder.hold();
    try {
      const start = await exclusive(async () => {
        await verify();
        const { store, journal } = loaded;
        if (store === undefined || journal === undefined) return undefined;
        const envelopes = new Map([...loaded.changes].map(([key, change]) => [key, change.envelope]));
        return { store, journal, state: loaded.state(), envelopes, upto: journal.lastSeq };
      });
      if (start === undefined) return;
      const base = { store: start.store, state: start.state };
      const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
      const plan = await planCheckpoint(base, targetOf(start.store), start.envelopes, prefixes, { pause });
      checkSize(plan);
      const prepared = await prepareCheckpoint(paths, plan, base, pause);
      // The new files as single buffers, for the reads that follow; copied in slices too.
      const contiguous = { store: await joinWritten(prepared.store, plan.store, pause), state: await joinWritten(prepared.state, plan.state, pause) };
      await exclusive(async () => {
        if (stale || loaded.journal !== start.journal || loaded.store !== start.store) return abandonCheckpoint(prepared);
        stale = true;
        const key = journalKey(start.store);
        const files = await finishCheckpoint(paths, prepared, base, { file: start.journal, macKey: key, upto: start.upto }, contiguous);
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
        stale = false;
        if (next !== undefined && options.journal !== undefined) {
          timer ??= setTimeout(() => {
            timer = undefined;
            void checkpointSoon();
          }, options.journal.ms).unref();
        }
      });
    } finally {
      await holder.release();
    }
  };
  const checkpointSoon = (): Promise<void> => {
    running ??= checkpointJournal()
      .catch((error: unknown) => options.onCheckpointError?.(error))
      .finally(() => (running = undefined));
    return running;
  };

  return {
    update: (fn) => commit.submit(fn),
    async checkpoint() {
      if (options.journal === undefined) return;
      await running;
      await checkpointJournal();
    },
    get busy() {
      return holder.held && checked;
    },
    async close() {
      closing = true;
      await commit.idle();
      if (idleRelease !== undefined) clearTimeout(idleRelease);
      idleRelease = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      try {
        await running;
        if (options.journal !== undefined && loaded.journal !== undefined) await checkpointJournal();
      } finally {
        if (lingering) {
          lingering = false;
          await holder.release();
        }
      }
    },
  };
}
