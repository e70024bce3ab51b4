import { promises as fs } from 'node:fs';
import { renameOver, writeTempFile } from '../fs/atomic-write.js';
import { deriveFileMacKey, deriveMacKey } from './key-derivation.js';
import { appendJournal } from './journal.js';
import type { JournalFile } from './journal.js';
import { ensureStateDir } from './state-dir.js';
import { isRuntimeKey } from './state-routing.js';
import { adoptRenderedState } from './state-snapshot.js';
import { renderStateHeaderBody } from './state-format.js';
import type { StateSnapshot } from './state-snapshot.js';
import { readEntryEnvelope, readHeaderMac, renderHeaderBody, renderSignedFile, renderSignedFileSliced } from './store-format.js';
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

// What a checkpoint will write: each file's new bytes when it changes, and the MACs of the
// files it leaves (new or unchanged; null for no state file).
export interface CheckpointPlan {
  store: Buffer | undefined;
  state: Buffer | undefined;
  storeMac: string;
  stateMac: string | null;
  target: CheckpointTarget;
}

// Renders the files for `changes` (key → envelope, or null to delete) over `base`. `rewrite`
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
  const render = async (headerBody: string, chunks: Buffer[], macKey: Buffer): Promise<Buffer> =>
    pause === undefined ? renderSignedFile(headerBody, chunks, macKey) : renderSignedFileSliced(headerBody, chunks, macKey, pause);
  const store =
    committed.size > 0 || rewrite || base.store === undefined
      ? await render(renderHeaderBody(target.header), await spliceEntries(base.store?.entries, committed, pause), deriveMacKey(target.rootKey.key))
      : undefined;
  const stateNeeded = runtime.size > 0 || (rewrite && base.state !== undefined);
  const stateHeader = renderStateHeaderBody({ id: target.header.id, check: target.header.check });
  const state = stateNeeded ? await render(stateHeader, await spliceEntries(base.state?.entries, runtime, pause), deriveFileMacKey(target.rootKey.key, 'state')) : undefined;
  return {
    store,
    state,
    storeMac: store === undefined ? (base.store as StoreSnapshot).mac : readHeaderMac(store.subarray(0, store.indexOf(0x0a))),
    stateMac: state === undefined ? (base.state?.mac ?? null) : readHeaderMac(state.subarray(0, state.indexOf(0x0a))),
    target,
  };
}

// A plan with its files written to fsynced temp files, not yet renamed into place.
export interface PreparedCheckpoint {
  plan: CheckpointPlan;
  tempStore: string | undefined;
  tempState: string | undefined;
}

// Writes the plan's files to temp files beside their targets.
export async function prepareCheckpoint(paths: StorePaths, plan: CheckpointPlan): Promise<PreparedCheckpoint> {
  if (plan.state !== undefined) await ensureStateDir(paths.state);
  const [tempStore, tempState] = await Promise.allSettled([
    plan.store === undefined ? undefined : writeTempFile(paths.store, plan.store),
    plan.state === undefined ? undefined : writeTempFile(paths.state, plan.state, { mode: 0o600 }),
  ]);
  const prepared = {
    plan,
    tempStore: tempStore.status === 'fulfilled' ? tempStore.value : undefined,
    tempState: tempState.status === 'fulfilled' ? tempState.value : undefined,
  };
  const failed = [tempStore, tempState].find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await abandonCheckpoint(prepared);
    throw failed.reason;
  }
  return prepared;
}

// Removes the temp files of a checkpoint that will not be finished.
export async function abandonCheckpoint(prepared: PreparedCheckpoint): Promise<void> {
  for (const temp of [prepared.tempStore, prepared.tempState]) if (temp !== undefined) await fs.unlink(temp).catch(() => undefined);
}

// Puts the prepared files in place: first a checkpoint record in `journal` (covering its
// records up to `upto`) when there is one, then the renames. Returns the snapshots of the
// files now on disk (those that did not change are passed through).
export async function finishCheckpoint(
  paths: StorePaths,
  prepared: PreparedCheckpoint,
  base: { store: StoreSnapshot | undefined; state: StateSnapshot | undefined },
  journal: { file: JournalFile; macKey: Buffer; upto: number } | undefined,
): Promise<{ store: StoreSnapshot; state: StateSnapshot | undefined }> {
  const { plan } = prepared;
  try {
    if (journal !== undefined) {
      const marker = { seq: journal.file.lastSeq + 1, kind: 'checkpoint', upto: journal.upto, store: plan.storeMac, state: plan.stateMac } as const;
      await appendJournal(journal.file, [marker], journal.macKey);
    }
  } catch (error) {
    await abandonCheckpoint(prepared);
    throw error;
  }
  const { target } = plan;
  if (prepared.tempStore !== undefined) {
    await renameOver(prepared.tempStore, paths.store).catch(async (error: unknown) => {
      await abandonCheckpoint({ ...prepared, tempStore: undefined });
      throw error;
    });
  }
  if (prepared.tempState !== undefined) await renameOver(prepared.tempState, paths.state);
  return {
    store: plan.store === undefined ? (base.store as StoreSnapshot) : adoptRenderedStore(paths.store, plan.store, target.header, target.rootKey, target.dataKeys),
    state: plan.state === undefined ? base.state : adoptRenderedState(paths.state, plan.state, target),
  };
}
