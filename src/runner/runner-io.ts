import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { SignalSource } from './signals.js';

// What a standard stream is, as far as the runner's decisions go: a terminal is read by a
// person, a pipe by another program as it is written (GitHub Actions reads a step's output
// through pipes), a file is kept. `other`: a character device that is not a terminal
// (/dev/null), a socket, or a stream a library caller passed in.
export type StreamKind = 'terminal' | 'pipe' | 'file' | 'other';

// One of the runner's two output streams.
export interface RunOutput {
  /** The stream; the process's own is opened on first use, so a quiet command never pays for it. */
  readonly stream: Writable;
  /** What the stream is. */
  readonly kind: StreamKind;
  /** The descriptor a child can be given to write to directly: set for the process's own streams. */
  readonly fd: number | undefined;
}

// Starts a program: node:child_process's spawn, which the entry point loads on first use.
export type SpawnProgram = (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

// What the runner needs to start a command: its output streams, its input, and spawn.
export interface ChildIo {
  readonly stdout: RunOutput;
  readonly stderr: RunOutput;
  /** Fed to the command: `inherit` gives it the runner's own stdin (and terminal). */
  readonly stdin: 'inherit' | Readable;
  readonly spawn: SpawnProgram;
  readonly platform: NodeJS.Platform;
  /** The runner's own process id: as PID 1 (a container without an init) it warns at start. */
  readonly pid: number;
}

// The runner's connections to the world, handed down from the entry point (cli/process-io.ts
// builds them from the process); tests pass their own streams, environment and signals.
export interface RunnerIo extends ChildIo {
  /** The inherited environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly signals: SignalSource;
  /** In [0, 1), for splay. */
  readonly random: () => number;
}
