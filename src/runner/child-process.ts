import type { Readable, Writable } from 'node:stream';
import { signalExitCode } from './signals.js';

// How a child ended: the runner's exit code for it, and the signal when it was killed.
export interface ChildExit {
  readonly exitCode: number;
  readonly signal: NodeJS.Signals | undefined;
  /** Set when the command could not be started at all (never contains env values). */
  readonly spawnError: string | undefined;
}

// What to start. `args` are passed exactly; with `shell`, command and args are joined with
// spaces and run by `sh -c`, as the user asked for shell parsing.
export interface ChildSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly shell: boolean;
  readonly cwd?: string;
  /** Where the child's output goes: inherit the runner's fds, or a pipe the runner reads. */
  readonly stdout: 'inherit' | 'pipe';
  readonly stderr: 'inherit' | 'pipe';
  readonly stdin: 'inherit' | 'ignore' | Readable;
}

// A running child. A class because it has a lifecycle: started, signalled, stopped.
export class Child {
  readonly pid: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Settles once when the child has exited and its pipes are drained. */
  readonly exited: Promise<ChildExit>;
  #done = false;
  readonly #signal: (signal: NodeJS.Signals) => boolean;

  constructor(spec: ChildSpec) {
    const [file, argv] = spec.shell ? ['/bin/sh', ['-c', [spec.command, ...spec.args].join(' ')]] : [spec.command, [...spec.args]];
    const stdin = typeof spec.stdin === 'string' ? spec.stdin : 'pipe';
    // Plain child_process, not execa: execa's import alone costs more start-up time than the
    // whole budget allows (measured in the issue report), and we need none of its extras.
    // Loaded here, not imported: a bundle hoists static imports to its top, and node:child_process
    // (with net and dgram) would then be loaded by every command, not only by the runner.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(file, argv, { env: spec.env, cwd: spec.cwd, stdio: [stdin, spec.stdout, spec.stderr] });
    if (typeof spec.stdin !== 'string' && child.stdin) spec.stdin.pipe(child.stdin as Writable);
    this.pid = child.pid;
    this.stdout = child.stdout;
    this.stderr = child.stderr;
    this.#signal = (signal) => (this.#done ? false : child.kill(signal));
    this.exited = new Promise<ChildExit>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (child.pid !== undefined) return; // errors after start (e.g. kill) are not exits
        this.#done = true;
        // The shell's conventions: 127 not found, 126 found but not executable.
        const exitCode = error.code === 'ENOENT' ? 127 : 126;
        resolve({ exitCode, signal: undefined, spawnError: `${error.code ?? 'error'}: ${spec.command}` });
      });
      child.once('close', (code, signal) => {
        this.#done = true;
        resolve({ exitCode: signal ? signalExitCode(signal) : (code ?? 0), signal: signal ?? undefined, spawnError: undefined });
      });
    });
  }

  // Sends a signal; false when the child has already exited.
  signal(signal: NodeJS.Signals): boolean {
    return this.#signal(signal);
  }

  // Stops the child: `stopSignal`, then SIGKILL if it is still running after `killTimeoutMs`.
  async stop(stopSignal: NodeJS.Signals, killTimeoutMs: number): Promise<ChildExit> {
    if (this.#done) return this.exited;
    this.signal(stopSignal);
    let timer: NodeJS.Timeout | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, killTimeoutMs);
    });
    const result = await Promise.race([this.exited, escalate.then(() => undefined)]);
    clearTimeout(timer);
    if (result) return result;
    this.signal('SIGKILL');
    return this.exited;
  }
}
