import { createLocalSource } from '../source/local-source.js';
import type { SecretSource } from '../source/source.js';
import { resolveProjectStorePath, type Discovery } from '../store/project-discovery.js';

// A local store opened before the manifest was read, so that reading and verifying the store
// overlaps with reading the manifest (docs/runner.md#start-up has what that saves).
export interface EarlySource {
  readonly path: string;
  readonly opened: Promise<SecretSource>;
}

// Opens the local store where it will be unless the manifest says otherwise: --store,
// SECRETRUN_STORE or the project's default path. Nothing when VAULT_ADDR makes every run
// remote. It never prompts: a passphrase is asked for only once the manifest chose this store.
export function startLocalSource(
  io: { readonly env: Readonly<Record<string, string | undefined>>; readonly cwd: string },
  storeFlag: string,
  discovery?: Discovery,
): EarlySource | undefined {
  if (io.env['VAULT_ADDR']) return undefined;
  const path = resolveProjectStorePath(io.cwd, io.env, storeFlag || undefined, discovery);
  const opened = createLocalSource({ path, env: io.env });
  // Its failure is reported only if the manifest chooses this store (see discardSource).
  opened.catch(() => undefined);
  return { path, opened };
}

// Closes an early store the manifest did not choose; its errors are not the run's.
export function discardSource(early: EarlySource | undefined): void {
  void early?.opened.then((source) => source.close()).catch(() => undefined);
}

// The early store if it is the one at `path` (the store the manifest chose); else it is
// discarded and undefined returned.
export function takeEarlySource(early: EarlySource | undefined, path: string): EarlySource | undefined {
  if (early?.path === path) return early;
  discardSource(early);
  return undefined;
}
