// Starts `secretrun server` (the built CLI) as a real process and reads where it listens.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';
import { cliEntry } from '../e2e/run-cli.js';
import { captureOutput, type ChildEnd } from '../helpers/captured-output.js';
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
  readonly exited: Promise<ChildEnd>;
}

const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

// A server listens on 127.0.0.1:8200 by default, which tests running in parallel (and
// anything else on the machine) would contend for: port 0 unless the test chose an address
// (a flag, the dev server's variable, or a config file's listener).
function freePort(args: readonly string[], env: Readonly<Record<string, string>>): string[] {
  const dev = args.some((arg) => arg === '-dev' || arg.startsWith('-dev='));
  if (dev) {
    const chosen = args.some((arg) => arg.startsWith('-dev-listen-address')) || env['VAULT_DEV_LISTEN_ADDRESS'] !== undefined;
    return chosen ? [] : ['-dev-listen-address=127.0.0.1:0'];
  }
  const chosen = args.some((arg) => arg.startsWith('-listen-address') || arg.startsWith('-config'));
  return chosen ? [] : ['-listen-address=127.0.0.1:0'];
}

// Runs `secretrun server ...args` with exactly `env` and waits until it listens. Port 0 is
// asked for unless `args` names an address; the port is read from the "listening on" line.
// `wrapper` runs the server through a program that execs it in the same process, such as
// `['prlimit', '--nofile=256:256', '--']`, so `child.pid` is still the server's.
export async function startServerProcess(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd?: string,
  wrapper: readonly string[] = [],
): Promise<ServerProcess> {
  const command = [...wrapper, process.execPath, cliEntry(), 'server', ...args, ...freePort(args, env)];
  const child = spawn(command[0] as string, command.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  const output = captureOutput(child);
  const { exited } = output;
  let gone = false;
  void exited.then(() => (gone = true));
  const url = await waitFor('the server to listen', () => {
    if (gone) throw new Error(`server exited before listening: ${output.stderr().trim()}`);
    return /secretrun server listening on (\S+)\n/.exec(output.stdout())?.[1];
  });
  const token = /Root Token: (\S+)/.exec(output.stdout())?.[1];
  return {
    child,
    url,
    rootToken: token,
    stdout: output.stdout,
    stderr: output.stderr,
    async stop(signal = 'SIGTERM') {
      if (!gone) child.kill(signal);
      return (await exited).code;
    },
    exited,
  };
}
