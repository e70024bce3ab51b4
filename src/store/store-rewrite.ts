import { SecretrunError } from '../errors.js';
import { removeStaleTempFiles } from '../fs/atomic-write.js';
import { finishCheckpoint, planCheckpoint, prepareCheckpoint } from './checkpoint.js';
import type { CheckpointTarget } from './checkpoint.js';
import { adoptJournal, closeJournal, removeJournal } from './journal.js';
import { acquireStoreLock } from './lock.js';
import { resolveStoreKey } from './recipients/recipient-key.js';
import type { KeyOptions } from './root-key.js';
import { runtimePrefixes } from './state-routing.js';
import { readStoreFiles } from './store-load.js';
import { journalPathOf, statePathOf } from './store-paths.js';
import { ioError, maxStoreBytes } from './store-snapshot.js';
import { noteStoreWrite } from './write-epoch.js';
import type { StoreSnapshot } from './store-snapshot.js';

// The shared shape of rotate and rekey: under the lock, load and verify the store (with its
// state file and any journal), compute the new header and keys from it, and write both files
// under them, the journal folded in (checkpoint.ts).

// Options of an operation on an existing store.
export interface StoreOperationOptions extends KeyOptions {
  path: string;
  lockTimeoutMs?: number;
  /** The keys kept in the state file (state-routing.ts) by default; none for a file git handed over (the merge driver). */
  runtimePrefixes?: readonly string[];
}

// Runs `rewrite` on the verified store and writes the files under the target it returns.
export async function rewriteStore<T>(
  options: StoreOperationOptions,
  rewrite: (snapshot: StoreSnapshot) => Promise<{ target: CheckpointTarget; result: T }>,
): Promise<T> {
  const { path } = options;
  const paths = { store: path, state: statePathOf(path), journal: journalPathOf(path) };
  const release = await acquireStoreLock(path, options.lockTimeoutMs);
  try {
    for (const file of [paths.store, paths.state, paths.journal]) await removeStaleTempFiles(file);
    const resolveKey = (header: StoreSnapshot['header']) => resolveStoreKey(options, header, path);
    const prefixes = options.runtimePrefixes ?? runtimePrefixes;
    const loaded = await readStoreFiles(paths, resolveKey, { eagerState: true, maxBytes: maxStoreBytes, prefixes });
    const { store } = loaded;
    if (store === undefined) {
      throw new SecretrunError('store_io', `cannot change store ${path}: it does not exist (run \`secretrun init\` to create it)`);
    }
    const state = loaded.state === 'unread' ? undefined : loaded.state;
    const { target, result } = await rewrite(store);
    const envelopes = new Map([...loaded.changes].map(([key, change]) => [key, change.envelope]));
    const base = { store, state };
    const plan = await planCheckpoint(base, target, envelopes, prefixes, { rewrite: true });
    const journal = loaded.journal === undefined ? undefined : adoptJournal(paths.journal, loaded.journal.parsed, loaded.journal.bytes);
    try {
      const prepared = await prepareCheckpoint(paths, plan, base);
      await finishCheckpoint(paths, prepared, base, journal && { file: journal, upto: journal.lastSeq });
      if (journal !== undefined) await removeJournal(paths.journal);
      noteStoreWrite();
    } catch (error) {
      throw error instanceof SecretrunError ? error : ioError(path, 'write', error);
    } finally {
      await closeJournal(journal);
    }
    return result;
  } finally {
    await release();
  }
}
