import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { openFileStore, type FileStore } from '../store/file-store.js';
import type { Env } from '../store/store-paths.js';
import { readMounts } from '../sys/mounts.js';
import { readLocalSecret } from './local-secrets.js';
import { requestKey, type SecretRead, type SecretSource } from './source.js';

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
  return {
    store,
    async readSecrets(requests) {
      return store.read((storage) => {
        const reads = new Map<string, SecretRead>();
        const at = now();
        const mounts = readMounts(storage);
        // Said per reference, so a manifest whose references are all optional still runs.
        const noStore: SecretRead | undefined =
          store.id === undefined ? { status: 'missing', reason: `no store at ${options.path} (run \`secretrun init\` to create it, or pass --store or set SECRETRUN_STORE)` } : undefined;
        for (const request of requests) {
          const key = requestKey(request);
          if (!reads.has(key)) reads.set(key, noStore ?? readLocalSecret(storage, request.path, request.version, at, mounts));
        }
        return reads;
      });
    },
    async watch(onChange, onError) {
      // node:fs watch (inotify/FSEvents) on the directory sees every rename over the file.
      // chokidar 5 was tried first and lost the second of two writes in quick succession
      // (test/source/local-source.test.ts), which would leave the runner on stale values.
      const file = basename(options.path);
      const watcher = watch(dirname(options.path), (_event, name) => {
        if (name === null || name === file) onChange();
      });
      watcher.on('error', (error) => onError(error.message));
      return async () => watcher.close();
    },
    close: () => store.close(),
  };
}
