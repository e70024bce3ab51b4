import type { SpawnOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { buildShellCommand } from './platform-shell.js';
import { canSendSignal } from './platform-signals.js';
import type { ChildIo } from './runner-io.js';
import { signalExitCode } from './signals.js';

// How a child ended: the runner's exit code for it, and the signal when it was killed.
export interface ChildExit {
  readonly exitCode: number;
  readonly signal: NodeJS.Signals | undefined;
  /** Set when the command could not be started at all (never contains env values). */
  readonly spawnError: string | undefined;
}

// What to start. `args` are passed exactly; with `shell`, command and args are joined with
// spaces and run by the platform's shell (`/bin/sh -c`, or cmd.exe on Windows:
// platform-shell.ts), as the user asked for shell parsing.
export interface ChildSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly shell: boolean;
  readonly cwd?: string;
  /** Where the child's output goes: a descriptor of the runner's it writes to, or a pipe the runner reads. */
  readonly stdout: number | 'pipe';
  readonly stderr: number | 'pipe';
  readonly stdin: ChildIo['stdin'];
}

// How to stop a child: the stop signal, SIGKILL after `killTimeoutMs`, and optionally a random
// wait of up to `splayMs` first, so that many runners do not restart their commands at once.
export interface StopPlan {
  readonly signal: NodeJS.Signals;
  readonly killTimeoutMs: number;
  readonly splay?: { readonly maxMs: number; readonly random: () => number };
}

// How a stop went: the exit, and whether the child was still there to be stopped (false when
// it ended by itself during the splay).
export interface StopResult {
  readonly exit: ChildExit;
  readonly stopped: boolean;
}

// Resolves after `ms`, or with the child's exit if that comes first.
async function exitWithin(exited: Promise<ChildExit>, ms: number): Promise<ChildExit | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// A running command: started, signalled, stopped with escalation. The supervisor decides when;
// the child knows how (consul-template's child/ is the model). A class because it is a lifecycle.
export class Child {
  readonly pid: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Settles once when the child has exited; its output pipes may still be open. */
  readonly exited: Promise<ChildExit>;
  #done = false;
  readonly #signal: (signal: NodeJS.Signals) => boolean;

  constructor(spec: ChildSpec, io: Pick<ChildIo, 'spawn' | 'platform'>) {
    const shell = spec.shell ? buildShellCommand(io.platform, spec.env, [spec.command, ...spec.args].join(' ')) : undefined;
    const [file, argv] = shell ? [shell.file, [...shell.args]] : [spec.command, [...spec.args]];
    const stdin = typeof spec.stdin === 'string' ? spec.stdin : 'pipe';
    const stdio: SpawnOptions['stdio'] = [stdin, spec.stdout, spec.stderr];
    const child = io.spawn(file, argv, { env: spec.env, cwd: spec.cwd, stdio, ...(shell?.verbatim ? { windowsVerbatimArguments: true } : {}) });
    if (typeof spec.stdin !== 'string' && child.stdin) spec.stdin.pipe(child.stdin as Writable);
    this.pid = child.pid;
    this.stdout = child.stdout;
    this.stderr = child.stderr;
    this.#signal = (signal) => {
      // Node throws for a signal the platform cannot send (any but SIGTERM, SIGINT, SIGQUIT and
      // SIGKILL on Windows); such a signal is not sent, and a signal never crashes the runner.
      if (this.#done || !canSendSignal(io.platform, signal)) return false;
      try {
        return child.kill(signal);
      } catch {
        return false;
      }
    };
    this.exited = new Promise<ChildExit>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (child.pid !== undefined) return; // errors after start (e.g. kill) are not exits
        this.#done = true;
        // The shell's conventions: 127 not found, 126 found but not executable.
        const exitCode = error.code === 'ENOENT' ? 127 : 126;
        resolve({ exitCode, signal: undefined, spawnError: `${error.code ?? 'error'}: ${spec.command}` });
      });
      // 'exit', not 'close': a process the command started and left behind can hold the
      // output pipes open long after the command ended (the supervisor drains them briefly).
      child.once('exit', (code, signal) => {
        this.#done = true;
        resolve({ exitCode: signal ? signalExitCode(signal) : (code ?? 0), signal: signal ?? undefined, spawnError: undefined });
      });
    });
  }

  // Sends a signal; false when the child has already exited or the platform cannot send it.
  signal(signal: NodeJS.Signals): boolean {
    return this.#signal(signal);
  }

  // Stops the child: after the splay, `signal`, then SIGKILL if it is still running after
  // `killTimeoutMs`. A child that exits by itself during the splay is not signalled.
  async stop(plan: StopPlan): Promise<StopResult> {
    const splay = plan.splay === undefined ? 0 : Math.floor(plan.splay.random() * plan.splay.maxMs);
    if (splay > 0) {
      const early = await exitWithin(this.exited, splay);
      if (early) return { exit: early, stopped: false };
    }
    if (this.#done) return { exit: await this.exited, stopped: false };
    this.signal(plan.signal);
    const exit = await exitWithin(this.exited, plan.killTimeoutMs);
    if (exit) return { exit, stopped: true };
    this.signal('SIGKILL');
    return { exit: await this.exited, stopped: true };
  }
}
