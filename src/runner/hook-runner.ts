import type { Readable } from 'node:stream';
import { execa, type Options } from 'execa';
import { renderGoDuration } from '../go/duration.js';
import type { Hook } from '../manifest/manifest.js';
import { signalExitCode } from './signals.js';

// Runs the manifest's hooks (a migration before start, a cache flush after a rotation) with
// execa, as the design card chose for commands beside the supervised one. The supervised
// command itself stays on node:child_process: loading execa takes longer than the runner's
// whole start-up budget (docs/runner.md#hooks has the figures). Loaded with import() only
// when a manifest has a hook, into a bundle of its own.

// One run of a hook: the environment it gets, where its output goes (a descriptor of the
// runner's it writes to, or a pipe the runner reads and masks), and what stops it.
export interface HookSpec {
  readonly hook: Hook;
  /** `hooks.pre_start`, as messages name it. */
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly stdout: number | 'pipe';
  readonly stderr: number | 'pipe';
  /** After the timeout or a cancel, SIGKILL follows SIGTERM after this long. */
  readonly killTimeoutMs: number;
  /** Aborted when the run ends while the hook runs. */
  readonly cancel: AbortSignal;
}

// How a hook ended: fine, or failed with the exit code the runner should honour and a line
// saying why (the hook's name and command, which the manifest holds; never a value).
export type HookOutcome = { readonly ok: true } | { readonly ok: false; readonly exitCode: number; readonly problem: string };

// A hook that was started: its output pipes (null when it writes to the runner's descriptor).
export interface StartedHook {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Settles when the hook's process has exited (or could not start); its pipes may be open still. */
  readonly exited: Promise<void>;
  /** Settles once the hook has exited and its output pipes were closed (or cut). */
  readonly done: Promise<HookOutcome>;
}

// What a hook's command looks like in a message.
function renderCommand(command: Hook['command']): string {
  return typeof command === 'string' ? command : command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
}

// Starts a hook: a string through the shell, a list as the program and its arguments.
export function startHook(spec: HookSpec): StartedHook {
  const { command } = spec.hook;
  const file: string = typeof command === 'string' ? command : (command[0] ?? '');
  const args: string[] = typeof command === 'string' ? [] : command.slice(1);
  const options: Options = {
    shell: typeof command === 'string',
    env: spec.env,
    extendEnv: false,
    cwd: spec.cwd,
    stdin: 'ignore',
    // execa's types list the descriptors 1 to 9 one by one; the runner's are 1 and 2.
    stdout: spec.stdout as Options['stdout'],
    stderr: spec.stderr as Options['stderr'],
    buffer: false,
    reject: false,
    timeout: spec.hook.timeoutMs,
    killSignal: 'SIGTERM',
    forceKillAfterDelay: spec.killTimeoutMs,
    cancelSignal: spec.cancel,
    // The runner stops its hooks itself (cancel); execa's cleanup would add listeners for a
    // dozen signals to the runner's process.
    cleanup: false,
  };
  const subprocess = execa(file, args, options);
  const what = `${spec.name} (${renderCommand(command)})`;
  const done = subprocess.then((result): HookOutcome => {
    if (result.timedOut) return { ok: false, exitCode: 124, problem: `${what} timed out after ${renderGoDuration(BigInt(spec.hook.timeoutMs) * 1_000_000n)}` };
    if (result.isCanceled) return { ok: false, exitCode: result.exitCode ?? 130, problem: `${what} was stopped` };
    const code = (result as { code?: string }).code;
    if (result.exitCode === undefined && result.signal === undefined) {
      // Not started at all: the shell's conventions, 127 not found, 126 not executable.
      return { ok: false, exitCode: code === 'ENOENT' ? 127 : 126, problem: `${what} could not start (${code ?? 'error'})` };
    }
    if (result.signal !== undefined) return { ok: false, exitCode: signalExitCode(result.signal), problem: `${what} was killed by ${result.signal}` };
    if (result.exitCode !== 0) return { ok: false, exitCode: result.exitCode ?? 1, problem: `${what} exited with ${result.exitCode}` };
    return { ok: true };
  });
  const exited = new Promise<void>((resolve) => {
    subprocess.once('exit', () => resolve());
    subprocess.once('error', () => resolve());
  });
  return { stdout: subprocess.stdout, stderr: subprocess.stderr, exited, done };
}
