import { SecretrunError } from '../errors.js';
import { removeStaleTempFiles } from '../fs/atomic-write.js';
import type { CheckpointPlan, CheckpointTarget } from './checkpoint.js';
import { deriveFileMacKey } from './key-derivation.js';
import { createLockHolder } from './lock-holder.js';
import type { LockHolder } from './lock-holder.js';
import type { CurrentCheck } from './loaded-file.js';
import type { LoadedStore } from './loaded-store.js';
import { signedFileLength } from './signed-file.js';
import type { StorePaths } from './store-load.js';
import { storeTooLargeError } from './store-snapshot.js';
import type { StoreSnapshot } from './store-snapshot.js';
import { createSerialQueue } from './transaction.js';

// What the two writers of one store — group-commit passes (store-writer.ts) and background
// checkpoints (journal-checkpointer.ts) — share: the lock, the section only one of them runs in
// at a time, and whether what is loaded can be trusted.

// The shared state of a store's writers.
export interface WriterContext {
  readonly loaded: LoadedStore;
  readonly paths: StorePaths;
  readonly prefixes: readonly string[];
  readonly holder: LockHolder;
  /** Runs `task` when no other pass or checkpoint step runs, in call order. */
  readonly exclusive: <T>(task: () => Promise<T>) => Promise<T>;
  /** Memory may not match the disk after a write failed half-way: reload before trusting it. */
  stale: boolean;
  /** Was what is loaded checked against the disk since the lock was last taken? */
  readonly checked: boolean;
  /** Under the lock: makes what is loaded what is on disk. */
  verify(): Promise<void>;
  /** The journal MAC key of `store`'s root key. */
  journalKey(store: StoreSnapshot): Buffer;
  /** Throws store_io when a planned file would pass the size limit. */
  checkSize(plan: CheckpointPlan): void;
}

// The header and keys a store's files are written under, as loaded.
export const targetOf = (store: StoreSnapshot): CheckpointTarget => ({ header: store.header, rootKey: store.rootKey, dataKeys: store.dataKeys });

// The context of the writers of the store `loaded` holds.
export function createWriterContext(loaded: LoadedStore, options: { paths: StorePaths; prefixes: readonly string[]; maxBytes: number; lockTimeoutMs: number | undefined }): WriterContext {
  const { paths, maxBytes } = options;
  let checked = false;
  let macKey: { root: Buffer; journal: Buffer } | undefined;
  // A killed writer's temp files are removed whenever the lock is taken: nothing of this
  // process is in flight then. Until the files are checked, another process may have written.
  const holder = createLockHolder(paths.store, options.lockTimeoutMs, async () => {
    checked = false;
    for (const file of [paths.store, paths.state, paths.journal]) await removeStaleTempFiles(file);
  });
  const context: WriterContext = {
    loaded,
    paths,
    prefixes: options.prefixes,
    holder,
    exclusive: createSerialQueue(),
    stale: false,
    get checked() {
      return checked;
    },
    // A load a read started before the lock was taken may be shared (LoadedStore.load), so the
    // disk is compared again after it. Held since the last check, the lock leaves only changes
    // made by other programs, which stat data shows (loaded-file.ts, 'held').
    async verify() {
      if (context.stale) await loaded.load();
      let check: CurrentCheck = checked && !context.stale ? 'held' : 'verify';
      for (let attempt = 0; !loaded.isCurrent(check); attempt++) {
        if (attempt === 10) throw new SecretrunError('store_io', `cannot write store ${paths.store}: it keeps changing while locked (is something other than secretrun writing it?)`);
        await loaded.load();
        check = 'verify';
      }
      context.stale = false;
      checked = true;
    },
    journalKey(store) {
      if (macKey?.root !== store.rootKey.key) macKey = { root: store.rootKey.key, journal: deriveFileMacKey(store.rootKey.key, 'journal') };
      return macKey.journal;
    },
    checkSize(plan) {
      if (plan.store !== undefined && signedFileLength(plan.store) > maxBytes) throw storeTooLargeError(paths.store, 'write', maxBytes);
      if (plan.state !== undefined && signedFileLength(plan.state) > maxBytes) throw storeTooLargeError(paths.state, 'write', maxBytes);
    },
  };
  return context;
}
