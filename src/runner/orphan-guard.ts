import type { Writable } from 'node:stream';
import type { ChildIo } from './runner-io.js';

// Ends the command when the runner dies without a chance to stop it (SIGKILL, the OOM killer),
// so that a command holding secrets in its environment does not run on unsupervised. Linux's
// parent-death signal would do this in the kernel, but Node cannot set it (no prctl) and the
// project takes no native addon. Instead a small watchdog shell holds the read end of a pipe
// from the runner: it learns the command's pid through it, and when the pipe closes without a
// last "-" (the runner is gone), it sends the command the stop signal, then SIGKILL after the
// kill timeout. Terminal and group signals are ignored by the watchdog (the runner forwards
// them to the command itself). It costs one `sh` per run, started only once the command has
// run for `guardDelayMs`, so short commands — the runner's start-up hot path — never pay for it.
export const guardDelayMs = 100;

// The watchdog: $1 the stop signal without SIG, $2 the kill timeout in seconds. Reads one pid
// (or "-" for none) per line; the last one counts when the runner's end of the pipe closes.
const watchdogScript = [
  "trap '' HUP INT QUIT TERM",
  'pid=-',
  'while read -r line; do pid=$line; done',
  '[ "$pid" = - ] && exit 0',
  'kill -s "$1" "$pid" 2>/dev/null || exit 0',
  'sleep "$2"',
  'kill -s KILL "$pid" 2>/dev/null',
].join('\n');

// The argv[0] the watchdog shows in `ps`.
export const watchdogName = 'secretrun-orphan-guard';

// How to stop an orphaned command: the manifest's stop signal and kill timeout.
export interface OrphanStop {
  readonly signal: NodeJS.Signals;
  readonly killTimeoutMs: number;
}

// Tells the watchdog which command to end should the runner die.
export interface OrphanGuard {
  /** The command now running is `pid` (undefined: none). */
  watch(pid: number | undefined): void;
  /** The runner ends in order: the watchdog exits without ending anything. */
  close(): void;
}

// A guard for the commands of one run; the watchdog starts once a command has run for
// `guardDelayMs`. Nothing on Windows, which has neither sh nor signals to send.
export function createOrphanGuard(io: Pick<ChildIo, 'spawn' | 'platform'>, stop: OrphanStop): OrphanGuard {
  if (io.platform === 'win32') return { watch: () => undefined, close: () => undefined };
  let pipe: Writable | undefined;
  let current: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const tell = (line: string): void => {
    pipe?.write(`${line}\n`);
  };
  const start = (): void => {
    timer = undefined;
    if (closed || pipe !== undefined || current === undefined) return;
    const seconds = String(stop.killTimeoutMs / 1000);
    const watchdog = io.spawn('/bin/sh', ['-c', watchdogScript, watchdogName, stop.signal.replace(/^SIG/, ''), seconds], {
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { PATH: '/usr/bin:/bin' },
    });
    watchdog.on('error', () => undefined);
    // Neither the watchdog nor its pipe keeps the runner alive.
    watchdog.unref();
    const stdin = watchdog.stdin;
    if (stdin === null) return;
    stdin.on('error', () => undefined);
    (stdin as Writable & { unref?: () => void }).unref?.();
    pipe = stdin;
    tell(String(current));
  };
  return {
    watch(pid) {
      current = pid;
      if (pipe !== undefined) tell(pid === undefined ? '-' : String(pid));
      else if (pid !== undefined && timer === undefined && !closed) {
        timer = setTimeout(start, guardDelayMs);
        timer.unref();
      }
    },
    close() {
      closed = true;
      clearTimeout(timer);
      tell('-');
      pipe?.end();
    },
  };
}
