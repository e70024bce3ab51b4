import { existsSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isSecretrunError } from '../../errors.js';
import { findConflictMarkers, conflictMarkersError } from '../../store/conflict-markers.js';
import { openFileStore } from '../../store/file-store.js';
import { isPidAlive } from '../../store/lock.js';
import { resolveStoreKey } from '../../store/recipients/recipient-key.js';
import { buildRecipientRows } from '../recipient-listing.js';
import { parseStoreBytes, recipientStoreFormatVersion, storeFormatVersion } from '../../store/store-format.js';
import { lockPathOf, type Env } from '../../store/store-paths.js';
import { readStoreFile } from '../../store/store-snapshot.js';
import type { KeyStatus, StatusProblem, StoreStatus } from './status-report.js';

// Looks at one store file for `secretrun status`: its format and size, the key that opens it
// and whether it does, and the files beside it. Reads only; never prompts for a passphrase,
// never creates or changes anything.

// A SecretrunError as a problem line (its message names the file and often the fix; a hint is
// the fix), anything else as what it says.
// Multi-line messages (a manifest's problem list) become one line.
export function problemOf(topic: string, error: unknown): StatusProblem {
  const line = (text: string): string => text.trim().replace(/\s*\n\s*/g, '; ');
  if (isSecretrunError(error)) return { topic, problem: line(error.message), fix: error.hint === undefined ? undefined : line(error.hint) };
  return { topic, problem: line(error instanceof Error ? error.message : String(error)), fix: undefined };
}

// The lock, state and journal files beside a store. The state file and the journal are where
// issue 10's write path keeps them (`state/` inside `.secretrun/`, else `.secretrun-state/`
// beside the store); listed only when present.
function localFiles(path: string): { path: string; what: string }[] {
  const dir = dirname(path);
  const stateDir = basename(dir) === '.secretrun' ? join(dir, 'state') : join(dir, '.secretrun-state');
  const files: { path: string; what: string }[] = [];
  const lock = lockPathOf(path);
  if (existsSync(lock)) files.push({ path: lock, what: describeLock(lock) });
  const state = join(stateDir, basename(path));
  if (existsSync(state)) files.push({ path: state, what: 'runtime state (git-ignored)' });
  const journal = `${state}.journal`;
  if (existsSync(journal)) files.push({ path: journal, what: 'journal of a long-lived writer (the server), not yet checkpointed into the store' });
  return files;
}

function describeLock(lock: string): string {
  try {
    const holder = JSON.parse(readFileSync(lock, 'utf8')) as { pid?: unknown; host?: unknown; time?: unknown };
    if (typeof holder.pid !== 'number' || typeof holder.host !== 'string') return 'lock (holder unreadable)';
    const stale = holder.host === hostname() && !isPidAlive(holder.pid);
    return `lock held by pid ${holder.pid} on ${holder.host} since ${String(holder.time)}${stale ? ' (stale: that process is gone; the next write recovers it)' : ''}`;
  } catch {
    return 'lock (holder unreadable)';
  }
}

// The key of a store with this header, and where it comes from, without opening the store.
async function findKey(env: Env, path: string, header: ReturnType<typeof parseStoreBytes>['header'], problems: StatusProblem[]): Promise<KeyStatus> {
  const keyed = ['SECRETRUN_KEY', 'SECRETRUN_KEY_FILE'].some((name) => (env[name] ?? '') !== '');
  if (header.kdf !== null && !keyed && (env['SECRETRUN_PASSPHRASE'] ?? '') === '') {
    return { source: 'a passphrase, asked for on the terminal (set SECRETRUN_PASSPHRASE to check it here)', opens: undefined };
  }
  try {
    return { source: (await resolveStoreKey({ env, checkContinuity: false }, header, path)).source, opens: undefined };
  } catch (error) {
    problems.push(problemOf('key', error));
    return { source: undefined, opens: false };
  }
}

// The status of the store at `path` and the problems found in it.
export async function readStoreStatus(
  path: string,
  env: Env,
  role: { usedBy: readonly string[]; chosenBy: string; required: boolean },
): Promise<{ status: StoreStatus; problems: StatusProblem[] }> {
  const problems: StatusProblem[] = [];
  const base = { path, usedBy: role.usedBy, chosenBy: role.chosenBy, files: localFiles(path) };
  let file;
  try {
    file = await readStoreFile(path);
  } catch (error) {
    return { status: { ...base, exists: true }, problems: [problemOf('store', error)] };
  }
  if (file === undefined) {
    if (role.required) {
      problems.push({ topic: 'store', problem: `no store at ${path}.`, fix: 'Run "secretrun init" (or the first "secretrun kv put" creates it), or pass -store or set SECRETRUN_STORE to use another one.' });
    }
    return { status: { ...base, exists: false }, problems };
  }
  const size = statSync(path, { throwIfNoEntry: false })?.size ?? file.bytes.length;
  const markers = findConflictMarkers(file.bytes);
  if (markers !== undefined) return { status: { ...base, exists: true, size }, problems: [problemOf('store', conflictMarkersError(path, markers))] };
  let parts;
  try {
    parts = parseStoreBytes(file.bytes, path);
  } catch (error) {
    return { status: { ...base, exists: true, size }, problems: [problemOf('store', error)] };
  }
  const { header } = parts;
  const recipients = header.recipients === undefined ? {} : { recipients: buildRecipientRows(header.recipients).map(({ name, fingerprint }) => ({ name, fingerprint })), sharedKey: header.sharedKey === true };
  const protectedBy = header.recipients !== undefined ? ('recipients' as const) : header.kdf === null ? ('a root key' as const) : ('a passphrase' as const);
  const format = header.recipients === undefined ? storeFormatVersion : recipientStoreFormatVersion;
  const described = { ...base, exists: true, size, format, id: header.id, protectedBy, ...recipients };
  let key = await findKey(env, path, header, problems);
  let entries: number | undefined;
  if (key.source !== undefined && !key.source.startsWith('a passphrase, asked')) {
    try {
      const store = await openFileStore({ path, env });
      try {
        entries = await store.read((storage) => storage.list('').length);
      } finally {
        await store.close();
      }
      key = { ...key, opens: true };
    } catch (error) {
      problems.push(problemOf(isSecretrunError(error) && error.code === 'store_key' ? 'key' : 'store', error));
      if (isSecretrunError(error) && error.code === 'store_key') key = { ...key, opens: false };
    }
  }
  return { status: { ...described, key, ...(entries === undefined ? {} : { entries }) }, problems };
}
