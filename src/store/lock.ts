import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { SecretrunError } from '../errors.js';
import { describeFsError } from '../fs/fs-error.js';
import { filePlatform, isTransient, type FilePlatform } from '../fs/platform-files.js';
import { announceWaiter, withdrawWaiter } from './lock-waiter.js';
import { lockPathOf } from './store-paths.js';

// The cross-process store lock: `store.json.lock`, created with O_EXCL and holding the
// holder's pid, host, time and a random token. A lock whose holder is a dead pid on this host
// is stale and is broken under a second O_EXCL file (`.lock.break`), re-checking that the lock
// is still the very one found stale, so two recoverers can never both break a live lock.

export const defaultLockTimeoutMs = 10_000;
// A lock or break file with no readable holder is one whose writer died between create and
// write; after this long it is treated as stale.
const unreadableGraceMs = 2_000;

// Contents of a lock file.
export interface LockHolder {
  pid: number;
  host: string;
  time: string;
  token: string;
}

interface SeenLock {
  raw: string;
  holder: LockHolder | undefined;
  ino: bigint;
  mtimeMs: number;
}

// Is the process with this pid alive? EPERM means it exists under another user.
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, host: value.host, time: String(value.time), token: value.token };
    }
  } catch {
    // Unreadable: the holder is between create and write, or died there.
  }
  return undefined;
}

async function readLock(file: string): Promise<SeenLock | undefined> {
  try {
    const info = await fs.stat(file, { bigint: true });
    const raw = await fs.readFile(file, 'utf8');
    return { raw, holder: parseHolder(raw), ino: info.ino, mtimeMs: Number(info.mtimeMs) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const posixFiles = filePlatform('linux');

function isStale(seen: SeenLock): boolean {
  if (seen.holder === undefined) return Date.now() - seen.mtimeMs > unreadableGraceMs;
  return seen.holder.host === hostname() && !isPidAlive(seen.holder.pid);
}

// Creates `file` holding `content`: 'created', or 'exists' when it exists, or 'busy' when the
// name cannot be taken this moment (Windows: EPERM while the last holder's lock is still being
// deleted, EACCES while another process reads it). A file that cannot be written whole (a full
// disk) is removed again: an empty lock would hold every writer off until it is old enough to
// be judged stale.
async function createExclusive(file: string, content: string, files: FilePlatform = posixFiles): Promise<'created' | 'exists' | 'busy'> {
  let handle;
  try {
    handle = await fs.open(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    if (isTransient(files, error)) return 'busy';
    throw error;
  }
  try {
    await handle.writeFile(content);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(file).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return 'created';
}

async function removeIfSame(file: string, seen: SeenLock): Promise<void> {
  const now = await readLock(file);
  if (now !== undefined && now.ino === seen.ino && now.raw === seen.raw) await fs.unlink(file).catch(() => undefined);
}

// Breaks a stale lock under the break file. A stale break file (its writer died in the few
// lines below) is removed the same re-checked way.
async function breakStaleLock(lockFile: string, stale: SeenLock, me: string): Promise<void> {
  const breakFile = `${lockFile}.break`;
  if ((await createExclusive(breakFile, me)) !== 'created') {
    const other = await readLock(breakFile);
    if (other !== undefined && isStale(other)) await removeIfSame(breakFile, other);
    return;
  }
  try {
    await removeIfSame(lockFile, stale);
  } finally {
    await fs.unlink(breakFile).catch(() => undefined);
  }
}

// Takes the lock of the store at `storePath`, waiting with backoff up to `timeoutMs` for a
// live holder, announced as a waiter meanwhile (lock-waiter.ts). Resolves to a function that
// releases it. `platform` (the process's by default) says which failures mean "busy for a
// moment" (Windows) rather than an error.
export async function acquireStoreLock(storePath: string, timeoutMs = defaultLockTimeoutMs, platform: NodeJS.Platform = process.platform): Promise<() => Promise<void>> {
  const lockFile = lockPathOf(storePath);
  const me = JSON.stringify({ pid: process.pid, host: hostname(), time: new Date().toISOString(), token: randomBytes(8).toString('hex') });
  try {
    return await pollStoreLock(storePath, lockFile, me, timeoutMs, filePlatform(platform));
  } finally {
    withdrawWaiter(lockFile, me);
  }
}

async function pollStoreLock(storePath: string, lockFile: string, me: string, timeoutMs: number, files: FilePlatform): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  let backoff = 1;
  for (;;) {
    let seen: SeenLock | undefined;
    let busy = false;
    try {
      const created = await createExclusive(lockFile, me, files);
      if (created === 'created') return () => releaseLock(lockFile, me);
      busy = created === 'busy';
      // Windows: a lock being deleted or read by another process this very moment cannot be read.
      const onTransient = (error: unknown): undefined => {
        if (!isTransient(files, error)) throw error;
        busy = true;
        return undefined;
      };
      seen = busy ? undefined : await readLock(lockFile).catch(onTransient);
      if (seen !== undefined && isStale(seen)) {
        await breakStaleLock(lockFile, seen, me);
        continue;
      }
    } catch (error) {
      const failure = describeFsError(error);
      throw new SecretrunError('store_io', `cannot lock store ${storePath}: ${failure.what} on ${lockFile} (${failure.code}; ${failure.fix})`, { cause: error });
    }
    // Gone between create and read: try again at once. Busy: wait as for a live holder.
    if (seen === undefined && !busy) continue;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const who = seen?.holder === undefined ? 'another process' : `pid ${seen.holder.pid} on ${seen.holder.host} since ${seen.holder.time}`;
      throw new SecretrunError(
        'store_locked',
        `store ${storePath} is locked by ${who} (wait for it to finish, or delete ${lockFile} if that process is gone)`,
      );
    }
    announceWaiter(lockFile, me);
    // Short polls: a long-lived holder steps aside for an announced waiter and waits for it.
    await delay(Math.min(backoff, remaining));
    backoff = Math.min(backoff * 2, 20);
  }
}

async function releaseLock(lockFile: string, me: string): Promise<void> {
  const now = await readLock(lockFile).catch(() => undefined);
  if (now?.raw === me) await fs.unlink(lockFile).catch(() => undefined);
}
