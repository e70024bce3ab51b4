import { promises as fs } from 'node:fs';
import { renameOver } from '../fs/atomic-write.js';
import { deriveFileMacKey, deriveMacKey } from './key-derivation.js';
import { appendJournal } from './journal.js';
import type { JournalFile } from './journal.js';
import { ensureStateDir } from './state-dir.js';
import { isRuntimeKey } from './state-routing.js';
import { adoptRenderedState } from './state-snapshot.js';
import { renderStateHeaderBody } from './state-format.js';
import type { StateSnapshot } from './state-snapshot.js';
import { readEntryEnvelope, renderHeaderBody } from './store-format.js';
import { signedFileLength, writeSignedTempFile } from './signed-file.js';
import type { UnsignedFile } from './signed-file.js';
import type { StoreHeader } from './store-format.js';
import { adoptRenderedStore, spliceEntries } from './store-snapshot.js';
import type { Pause, StoreSnapshot } from './store-snapshot.js';
import type { StorePaths } from './store-load.js';
import type { RootKey } from './root-key.js';
import type { DataKeys } from './keyring.js';

// A checkpoint writes the store file and the state file with changes folded in: the journal's
// (a server's background checkpoint, or any other writer taking over a journal) and a writer's
// own (the CLI's `kv put` rewrites the store, as before journals). Each file is rendered only
// if it changes, sorted, unchanged lines kept byte for byte; both are written to temp files and
// fsynced before either is renamed; a journal gets a checkpoint record naming the new files
// before the renames, so a crash between two renames leaves files a reader can still place.
// A store written before the state file existed has its runtime keys moved there on the way
// (their lines move as they are: the envelope's AAD is the store id and the key, in either file).

// The keys and header the files are written under (a rotation or rekey changes them).
export interface CheckpointTarget {
  header: StoreHeader;
  rootKey: RootKey;
  dataKeys: DataKeys;
}

// What a checkpoint will write: each file that changes, not yet signed (its MAC is computed
// as it is written).
export interface CheckpointPlan {
  store: UnsignedFile | undefined;
  state: UnsignedFile | undefined;
  target: CheckpointTarget;
}

// Splices the files for `changes` (key → envelope, or null to delete) over `base`. `rewrite`
// forces both files to be written (a new header or root key). With `pause`, the work is done
// in slices with pauses between them (a background checkpoint of a large store would
// otherwise hold up every request for tens of milliseconds).
export async function planCheckpoint(
  base: { store: StoreSnapshot | undefined; state: StateSnapshot | undefined },
  target: CheckpointTarget,
  changes: ReadonlyMap<string, string | null>,
  prefixes: readonly string[],
  options: { rewrite?: boolean; pause?: Pause } = {},
): Promise<CheckpointPlan> {
  const { rewrite = false, pause } = options;
  const committed = new Map<string, string | null>();
  const runtime = new Map<string, string | null>();
  for (const prefix of prefixes) {
    for (const key of base.store?.entries.keysWithPrefix(prefix) ?? []) {
      committed.set(key, null);
      const line = base.store?.entries.lineOf(key);
      if (!changes.has(key) && base.state?.entries.lineOf(key) === undefined && line !== undefined) runtime.set(key, readEntryEnvelope(line));
    }
  }
  for (const [key, envelope] of changes) (isRuntimeKey(key, prefixes) ? runtime : committed).set(key, envelope);
  const storeNeeded = committed.size > 0 || rewrite || base.store === undefined;
  const stateNeeded = runtime.size > 0 || (rewrite && base.state !== undefined);
  return {
    store: storeNeeded
      ? { headerBody: renderHeaderBody(target.header), entries: await spliceEntries(base.store?.entries, committed, pause), macKey: deriveMacKey(target.rootKey.key) }
      : undefined,
    state: stateNeeded
      ? {
          headerBody: renderStateHeaderBody({ id: target.header.id, check: target.header.check }),
          entries: await spliceEntries(base.state?.entries, runtime, pause),
          macKey: deriveFileMacKey(target.rootKey.key, 'state'),
        }
      : undefined,
    target,
  };
}

// A written file not yet renamed into place: its temp file, header line and MAC.
interface WrittenFile {
  temp: string;
  header: Buffer;
  mac: string;
}

// A plan with its files written to fsynced temp files, not yet renamed into place, and the
// MACs of the files the checkpoint leaves (new or unchanged; null for no state file).
export interface PreparedCheckpoint {
  plan: CheckpointPlan;
  store: WrittenFile | undefined;
  state: WrittenFile | undefined;
  storeMac: string;
  stateMac: string | null;
}

// Writes the plan's files to temp files beside their targets (`pause`: between slices of hashing).
export async function prepareCheckpoint(
  paths: StorePaths,
  plan: CheckpointPlan,
  base: { store: StoreSnapshot | undefined; state: StateSnapshot | undefined },
  pause?: Pause,
): Promise<PreparedCheckpoint> {
  if (plan.state !== undefined) await ensureStateDir(paths.state);
  const pausing = pause === undefined ? {} : { pause };
  const [store, state] = await Promise.allSettled([
    plan.store === undefined ? undefined : writeSignedTempFile(paths.store, plan.store, pausing),
    plan.state === undefined ? undefined : writeSignedTempFile(paths.state, plan.state, { mode: 0o600, ...pausing }),
  ]);
  const written = (result: PromiseSettledResult<WrittenFile | undefined>) => (result.status === 'fulfilled' ? result.value : undefined);
  const prepared: PreparedCheckpoint = {
    plan,
    store: written(store),
    state: written(state),
    storeMac: written(store)?.mac ?? (base.store as StoreSnapshot).mac,
    stateMac: written(state)?.mac ?? base.state?.mac ?? null,
  };
  const failed = [store, state].find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await abandonCheckpoint(prepared);
    throw failed.reason;
  }
  return prepared;
}

// Removes the temp files of a checkpoint that will not be finished.
export async function abandonCheckpoint(prepared: PreparedCheckpoint): Promise<void> {
  for (const file of [prepared.store, prepared.state]) if (file !== undefined) await fs.unlink(file.temp).catch(() => undefined);
}

// Puts the prepared files in place: first a checkpoint record in `journal` (covering its
// records up to `upto`) when there is one, then the renames. Returns the snapshots of the
// files now on disk (those that did not change are passed through). A new file's snapshot
// joins its parts into one buffer when first read, unless `contiguous` gives that buffer (a
// background checkpoint builds it in slices beforehand; a CLI write never needs it).
export async function finishCheckpoint(
  paths: StorePaths,
  prepared: PreparedCheckpoint,
  base: { store: StoreSnapshot | undefined; state: StateSnapshot | undefined },
  journal: { file: JournalFile; upto: number } | undefined,
  contiguous?: { store: Buffer | undefined; state: Buffer | undefined },
): Promise<{ store: StoreSnapshot; state: StateSnapshot | undefined }> {
  const { plan } = prepared;
  try {
    if (journal !== undefined) {
      const marker = { seq: journal.file.lastSeq + 1, kind: 'checkpoint', upto: journal.upto, store: prepared.storeMac, state: prepared.stateMac } as const;
      await appendJournal(journal.file, [marker]);
    }
  } catch (error) {
    await abandonCheckpoint(prepared);
    throw error;
  }
  const { target } = plan;
  if (prepared.store !== undefined) {
    await renameOver(prepared.store.temp, paths.store).catch(async (error: unknown) => {
      await abandonCheckpoint({ ...prepared, store: undefined });
      throw error;
    });
  }
  if (prepared.state !== undefined) await renameOver(prepared.state.temp, paths.state);
  const bytesOf = (written: WrittenFile, file: UnsignedFile, joined: Buffer | undefined) => joined ?? (() => Buffer.concat([written.header, ...file.entries]));
  return {
    store:
      prepared.store === undefined || plan.store === undefined
        ? (base.store as StoreSnapshot)
        : adoptRenderedStore(paths.store, bytesOf(prepared.store, plan.store, contiguous?.store), prepared.store.header, target.header, target.rootKey, target.dataKeys),
    state: prepared.state === undefined || plan.state === undefined ? base.state : adoptRenderedState(paths.state, bytesOf(prepared.state, plan.state, contiguous?.state), prepared.state.header, target),
  };
}

// The file a prepared checkpoint wrote, as one buffer, copied in slices with pauses between them.
export async function joinWritten(written: WrittenFile | undefined, file: UnsignedFile | undefined, pause: Pause): Promise<Buffer | undefined> {
  if (written === undefined || file === undefined) return undefined;
  const bytes = Buffer.allocUnsafe(signedFileLength(file));
  let offset = written.header.copy(bytes, 0);
  let since = 0;
  for (const chunk of file.entries) {
    bytes.set(chunk, offset);
    offset += chunk.length;
    since += chunk.length;
    if (since >= 1024 * 1024) {
      since = 0;
      await pause();
    }
  }
  return bytes;
}
