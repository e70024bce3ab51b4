import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

// Fairness for the store lock. The lock is an O_EXCL file polled with backoff, which has no
// queue: a long-lived writer (the server under load) that takes it again right after each
// group-commit pass would leave a CLI write polling for a gap until it timed out. So a process
// that finds the lock taken announces itself in `store.json.lock.wait` (its pid, host and
// token) until it holds the lock, and a long-lived writer checks for an announcement before
// it keeps or retakes the lock, and steps aside until the waiter had its turn. An announcement
// whose process is dead is ignored and removed. Synchronous: a stat per group-commit pass.

// The announcement file beside a lock file.
export function waitPathOf(lockFile: string): string {
  return `${lockFile}.wait`;
}

// Says that `me` (a lock file's contents) waits for `lockFile`, unless someone already does.
export function announceWaiter(lockFile: string, me: string): void {
  const file = waitPathOf(lockFile);
  if (statSync(file, { throwIfNoEntry: false }) !== undefined) return;
  try {
    writeFileSync(file, me, { mode: 0o644 });
  } catch {
    // No announcement: the waiter still polls, only without priority.
  }
}

// Withdraws the announcement if it is `me`'s.
export function withdrawWaiter(lockFile: string, me: string): void {
  const file = waitPathOf(lockFile);
  try {
    if (readFileSync(file, 'utf8') === me) unlinkSync(file);
  } catch {
    // Gone already.
  }
}

// Is a live process other than this one waiting for `lockFile`? A dead one's announcement is removed.
export function hasLiveWaiter(lockFile: string, isAlive: (pid: number) => boolean): boolean {
  const file = waitPathOf(lockFile);
  if (statSync(file, { throwIfNoEntry: false }) === undefined) return false;
  let holder: { pid?: unknown; host?: unknown };
  try {
    holder = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; host?: unknown };
  } catch {
    return false;
  }
  if (holder.pid === process.pid && holder.host === hostname()) return false;
  if (typeof holder.pid === 'number' && holder.host === hostname() && !isAlive(holder.pid)) {
    try {
      unlinkSync(file);
    } catch {
      // Removed by someone else.
    }
    return false;
  }
  return true;
}

// Waits (at most `maxMs`) until no live process other than this one waits for `lockFile`.
export async function yieldToWaiter(lockFile: string, isAlive: (pid: number) => boolean, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (hasLiveWaiter(lockFile, isAlive) && Date.now() < deadline) await delay(1);
}
