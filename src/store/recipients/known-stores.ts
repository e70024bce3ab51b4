import { dirname, join } from 'node:path';
import { readFileBounded } from '../../fs/bounded-read.js';
import { makePrivateDir, writePrivateFile } from '../../fs/private-file.js';
import { resolveKeyDir } from '../store-paths.js';
import type { Env } from '../store-paths.js';

// The root-key check this machine last opened for each recipient store, as ssh's known_hosts
// remembers host keys: `$XDG_CONFIG_HOME/secretrun/known-stores`, one `<store id> <check>` line
// per store. A check is public (it is in the header), so the file holds nothing secret. Reading
// it is one small synchronous read when a recipient store is opened; it is written only when a
// check is new or changed. A machine whose home does not keep files (CI) simply trusts each
// first open, as ssh does.

// Remembered checks by store id.
export type KnownStores = ReadonlyMap<string, string>;

const maxBytes = 1024 * 1024;
const linePattern = /^([A-Za-z0-9_-]{8,64}) (\S+)$/;

// The file of remembered checks.
export function resolveKnownStoresPath(env: Env): string {
  return join(dirname(resolveKeyDir(env)), 'known-stores');
}

// Reads the remembered checks; none when the file is missing or unreadable (then every store
// is a first open), lines that are not `<id> <check>` ignored.
export function readKnownStores(env: Env): KnownStores {
  let text: string;
  try {
    text = readFileBounded(resolveKnownStoresPath(env), maxBytes).toString('utf8');
  } catch {
    return new Map();
  }
  const known = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = linePattern.exec(line.trim());
    if (match !== null) known.set(match[1] as string, match[2] as string);
  }
  return known;
}

// The file's text for `known` (sorted by id, so it diffs well when people keep it in dotfiles).
export function renderKnownStores(known: KnownStores): string {
  return [...known].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, check]) => `${id} ${check}\n`).join('');
}

// Remembers `check` for store `id`, replacing the file atomically; best effort: a machine that
// cannot keep the file (a read-only home) opens as if for the first time next time.
// `read` is what the caller just read of the file, if anything.
export async function rememberStoreCheck(env: Env, id: string, check: string, read?: KnownStores): Promise<void> {
  const known = new Map(read ?? readKnownStores(env));
  if (known.get(id) === check) return;
  known.set(id, check);
  const path = resolveKnownStoresPath(env);
  try {
    await makePrivateDir(dirname(path));
    await writePrivateFile(path, renderKnownStores(known));
  } catch {
    // Not remembering weakens only the next open's check, never what this command does.
  }
}
