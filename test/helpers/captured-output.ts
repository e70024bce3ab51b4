import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

// How a child process ended.
export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

// A child's stdout and stderr so far, as text, and its end (after its pipes closed).
export interface CapturedOutput {
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<ChildEnd>;
}

// Collects the output of a child spawned with piped stdout and stderr, for tests that wait
// on what it printed.
export function captureOutput(child: ChildProcessByStdio<null, Readable, Readable>): CapturedOutput {
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<ChildEnd>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { stdout: () => out, stderr: () => err, exited };
}
