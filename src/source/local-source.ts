import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { SecretrunError } from '../errors.js';
import { openFileStore, type FileStore } from '../store/file-store.js';
import { journalPathOf, stateDirOf } from '../store/store-paths.js';
import type { Env } from '../store/store-paths.js';
import { findMount } from '../sys/mount-resolver.js';
import { readMounts } from '../sys/mounts.js';
import { createDynamicReads, type DynamicRequest } from './dynamic-reads.js';
import { readLocalSecret } from './local-secrets.js';
import { requestKey, type SecretRead, type SecretRequest, type SecretSource } from './source.js';

export interface LocalSourceOptions {
  /** The store file (already resolved: --store, SECRETRUN_STORE or the default). */
  path: string;
  env: Env;
  passphrase?: string;
  now?: () => number;
}

// The runner's default source: the local encrypted store. Reads decrypt only the entries
// asked for; changes are noticed by watching the store file, which every writer replaces by
// an atomic rename (so the directory is watched, not the inode). A missing directory (a store
// not created yet) cannot be watched: the runner then says it runs without restarts.
export async function createLocalSource(options: LocalSourceOptions): Promise<SecretSource & { store: FileStore }> {
  const store = await openFileStore({ path: options.path, env: options.env, ...(options.passphrase ? { passphrase: options.passphrase } : {}) });
  const now = options.now ?? Date.now;
  // Paths on a database mount are read through the Vault API in-process (leases, the engine),
  // loaded only when a manifest has one.
  const dynamic = createDynamicReads(async () => {
    const open = dynamic.control.localApi;
    if (open === undefined) {
      throw new SecretrunError('unsupported_path', "dynamic secrets (paths on a database mount) are read through secretrun's runner only", {
        hint: 'Run the command with `secretrun -- CMD`, or pass the source to runSupervised, resolveManifest or checkManifest of the library.',
      });
    }
    return open(store, (line) => dynamic.control.report(line));
  }, now);
  return {
    store,
    dynamic: dynamic.control,
    async readSecrets(requests) {
      const onDatabase: Array<SecretRequest & DynamicRequest> = [];
      const reads = await store.read((storage) => {
        const reads = new Map<string, SecretRead>();
        const at = now();
        const mounts = readMounts(storage);
        // Said per reference, so a manifest whose references are all optional still runs.
        const noStore: SecretRead | undefined =
          store.id === undefined ? { status: 'missing', reason: `no store at ${options.path} (run \`secretrun init\` to create it, or pass --store or set SECRETRUN_STORE)` } : undefined;
        for (const request of requests) {
          const key = requestKey(request);
          if (reads.has(key)) continue;
          const match = noStore === undefined ? findMount(mounts, request.path) : undefined;
          if (match?.mount.type === 'database') onDatabase.push({ ...request, rest: match.rest });
          else reads.set(key, noStore ?? readLocalSecret(storage, request.path, request.version, at, mounts));
        }
        return reads;
      });
      // Outside the store's read: the engine writes leases and talks to the database.
      if (onDatabase.length > 0) {
        const answers = await dynamic.read(onDatabase);
        for (const request of onDatabase) reads.set(requestKey(request), answers.get(request.path) ?? { status: 'missing' });
      }
      return reads;
    },
    async watch(onChange, onError) {
      dynamic.watch(onChange, onError);
      // node:fs watch (inotify/FSEvents) on the directory sees every rename over the file.
      // chokidar 5 was tried first and lost the second of two writes in quick succession
      // (test/source/local-source.test.ts), which would leave the runner on stale values.
      // A server writes to its journal in the state directory, renaming the store file only
      // at a checkpoint, so that directory is watched too, from when it exists.
      const file = basename(options.path);
      const stateDir = stateDirOf(options.path);
      const journal = basename(journalPathOf(options.path));
      const watchers: FSWatcher[] = [];
      const watchDir = (dir: string, onName: (name: string | null) => void): void => {
        const watcher = watch(dir, (_event, name) => onName(name));
        watcher.on('error', (error) => onError(error.message));
        watchers.push(watcher);
      };
      const watchJournal = (): boolean => {
        try {
          watchDir(stateDir, (name) => (name === null || name === journal) && onChange());
          return true;
        } catch {
          return false;
        }
      };
      let stateWatched = watchJournal();
      // Throws for a missing directory, as before: the runner then runs without restarts.
      watchDir(dirname(options.path), (name) => {
        if (name === null || name === file) onChange();
        else if (!stateWatched && name === basename(stateDir) && (stateWatched = watchJournal())) onChange();
      });
      return async () => {
        for (const watcher of watchers) watcher.close();
      };
    },
    async close() {
      await dynamic.close();
      await store.close();
    },
  };
}
