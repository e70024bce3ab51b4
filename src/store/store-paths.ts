import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

// Where the store and its keys live by default. Pure: env and cwd are passed in.

// The environment as a plain record, so tests inject it instead of mutating process.env.
export type Env = Readonly<Record<string, string | undefined>>;

// The store file: SECRETRUN_STORE, else `.secretrun/store.json` under `cwd`.
export function resolveStorePath(cwd: string, env: Env, explicit?: string): string {
  const chosen = explicit ?? env['SECRETRUN_STORE'];
  return chosen !== undefined && chosen !== '' ? resolve(cwd, chosen) : join(cwd, '.secretrun', 'store.json');
}

// The directory holding per-store key files: $XDG_CONFIG_HOME/secretrun/keys (~/.config by default).
export function resolveKeyDir(env: Env): string {
  const xdg = env['XDG_CONFIG_HOME'];
  const config = xdg !== undefined && xdg !== '' ? xdg : join(env['HOME'] ?? homedir(), '.config');
  return join(config, 'secretrun', 'keys');
}

// The default key file of one store.
export function resolveKeyFilePath(env: Env, storeId: string): string {
  return join(resolveKeyDir(env), `${storeId}.key`);
}

// The lock file beside the store.
export function lockPathOf(storePath: string): string {
  return `${storePath}.lock`;
}

// The directory of a store's local, git-ignored files (its runtime state and its journal):
// `state/` inside the default `.secretrun/` directory, else `.secretrun-state/` beside the
// store (a store elsewhere, e.g. `--store=prod.json` in a project root, gets no generic
// `state/` directory beside it, and two stores in one directory never share a state file
// name: each file is named for its store).
export function stateDirOf(storePath: string): string {
  const dir = dirname(storePath);
  return basename(dir) === '.secretrun' ? join(dir, 'state') : join(dir, '.secretrun-state');
}

// Which of a store's local, git-ignored files `path` is, by where store-paths.ts puts them:
// the state file, the journal, or neither (a store file).
export function localFileKind(path: string): 'state' | 'journal' | undefined {
  const dir = dirname(path);
  const local = basename(dir) === '.secretrun-state' || (basename(dir) === 'state' && basename(dirname(dir)) === '.secretrun');
  if (!local) return undefined;
  return path.endsWith('.journal') ? 'journal' : 'state';
}

// The state file of the store at `storePath` (see state-routing.ts).
export function statePathOf(storePath: string): string {
  return join(stateDirOf(storePath), basename(storePath));
}

// The journal of the store at `storePath` (see journal-format.ts).
export function journalPathOf(storePath: string): string {
  return join(stateDirOf(storePath), `${basename(storePath)}.journal`);
}
