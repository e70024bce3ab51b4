import { openFileStore } from '../store/file-store.js';
import { resolveProjectStorePath } from '../store/project-discovery.js';
import type { Env } from '../store/store-paths.js';
import type { JsonObject } from '../json.js';
import { readLocalSecret } from '../source/local-secrets.js';
import { writeLocalSecret } from './secret-writes.js';
import type { SecretRead } from '../source/source.js';

// The local store for Node programs that embed secretrun: read and write secrets by logical
// path (`secret/api-keys/openai`) without a server or a child process.
export interface SecretStore {
  readonly path: string;
  read(path: string, options?: { version?: number }): Promise<SecretRead>;
  /** Writes a new version (KV v2) and returns its number; `cas` as in `kv put -cas`. */
  write(path: string, data: JsonObject, options?: { cas?: number }): Promise<number>;
  /** Writes several secrets in one atomic transaction (all or none); returns their versions. */
  writeAll(entries: ReadonlyArray<readonly [path: string, data: JsonObject]>): Promise<number[]>;
  close(): Promise<void>;
}

export interface OpenSecretStoreOptions {
  /** Store file; defaults as for the CLI: SECRETRUN_STORE, else the `.secretrun/store.json` of the project holding `cwd` (docs/projects.md). */
  path?: string;
  cwd?: string;
  env?: Env;
  passphrase?: string;
}

// Opens (or, on first write, creates) the local encrypted store.
export async function openSecretStore(options: OpenSecretStoreOptions = {}): Promise<SecretStore> {
  const env = options.env ?? process.env;
  const path = resolveProjectStorePath(options.cwd ?? process.cwd(), env, options.path);
  const store = await openFileStore({ path, env, create: true, ...(options.passphrase ? { passphrase: options.passphrase } : {}) });
  return {
    path,
    read: (secretPath, readOptions = {}) => store.read((storage) => readLocalSecret(storage, secretPath, readOptions.version, Date.now())),
    write: (secretPath, data, writeOptions = {}) => store.update((storage) => writeLocalSecret(storage, secretPath, data, writeOptions, Date.now())),
    writeAll: (entries) =>
      store.update((storage) => {
        const now = Date.now();
        return entries.map(([secretPath, data]) => writeLocalSecret(storage, secretPath, data, {}, now));
      }),
    close: () => store.close(),
  };
}
