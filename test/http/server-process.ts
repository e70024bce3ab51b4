// Starts `secretrun server` (the built CLI) as a real process and reads where it listens.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';
import { cliEntry } from '../e2e/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';

// A running server process.
export interface ServerProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` (or https). */
  readonly url: string;
  /** The root token it printed, when it printed one. */
  readonly rootToken: string | undefined;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

// Runs `secretrun server ...args` with exactly `env` and waits until it listens. Port 0 is
// asked for unless `args` names an address; the port is read from the "listening on" line.
export async function startServerProcess(args: readonly string[], env: Readonly<Record<string, string>>, cwd?: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [cliEntry(), 'server', ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const url = await waitFor('the server to listen', () => {
    if (gone) throw new Error(`server exited before listening: ${err.trim()}`);
    return /secretrun server listening on (\S+)\n/.exec(out)?.[1];
  });
  const token = /Root Token: (\S+)/.exec(out)?.[1];
  return {
    child,
    url,
    rootToken: token,
    stdout: () => out,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (!gone) child.kill(signal);
      return (await exited).code;
    },
    exited,
  };
}
