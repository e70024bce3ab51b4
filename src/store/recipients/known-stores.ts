import { dirname, join } from 'node:path';
import { readFileBounded } from '../../fs/bounded-read.js';
import { makePrivateDir, writePrivateFile } from '../../fs/private-file.js';
import { resolveKeyDir } from '../store-paths.js';
import type { Env } from '../store-paths.js';

// The root-key checks this machine knows for each recipient store, as ssh's known_hosts
// remembers host keys: `$XDG_CONFIG_HOME/secretrun/known-stores`, one line per store,
// `<store id> <check> <check>…`, newest first: the checks of the stores it opened and those their
// lineage vouched for, so an older version (git history, a merge base) opens too. A check is public (it is in the header), so the file holds nothing secret. Reading
// it is one small synchronous read when a recipient store is opened; it is written only when a
// check is new or changed. A machine whose home does not keep files (CI) simply trusts each
// first open, as ssh does.

// Remembered checks by store id, newest first.
export type KnownStores = ReadonlyMap<string, readonly string[]>;

const maxBytes = 1024 * 1024;
const maxChecks = 64;
const linePattern = /^([A-Za-z0-9_-]{8,64})((?: \S+)+)$/;

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
  const known = new Map<string, readonly string[]>();
  for (const line of text.split('\n')) {
    const match = linePattern.exec(line.trim());
    if (match !== null) known.set(match[1] as string, (match[2] as string).trim().split(' '));
  }
  return known;
}

// The file's text for `known` (sorted by id, so it diffs well when people keep it in dotfiles).
export function renderKnownStores(known: KnownStores): string {
  return [...known].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, checks]) => `${id} ${checks.join(' ')}\n`).join('');
}

// Remembers `checks` (newest first) for store `id`, replacing the file atomically; best effort:
// a machine that cannot keep the file (a read-only home) opens as if for the first time next
// time. `read` is what the caller just read of the file, if anything.
export async function rememberStoreChecks(env: Env, id: string, checks: readonly string[], read?: KnownStores): Promise<void> {
  const known = new Map(read ?? readKnownStores(env));
  const before = known.get(id) ?? [];
  const after = [...new Set([...checks, ...before])].slice(0, maxChecks);
  if (after.length === before.length && after.every((check, i) => check === before[i])) return;
  known.set(id, after);
  const path = resolveKnownStoresPath(env);
  try {
    await makePrivateDir(dirname(path));
    await writePrivateFile(path, renderKnownStores(known));
  } catch {
    // Not remembering weakens only the next open's check, never what this command does.
  }
}
