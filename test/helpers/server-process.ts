import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What the real-database test servers share: a temp dir the server's account owns, a free
// port, a server process run as an unprivileged account when the tests run as root (PostgreSQL
// refuses root; MariaDB is started as root and drops to its `mysql` account itself), and a stop
// that cannot leave the server running when the test process ends.

// The unprivileged account a server runs as: its package's account when we are root, else ourselves.
export interface ServerAccount {
  name: string;
  uid: number;
  gid: number;
}

// The account `name` when running as root; undefined (run as the current user) otherwise.
export function serverAccount(name: string): ServerAccount | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error(`the ${name} account does not exist: install the database server package (see .ci/run)`);
  return { name, uid, gid: id('-g') };
}

// A fresh temp dir owned by `account` (or the current user).
export function makeServerDir(prefix: string, account: ServerAccount | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (account) chownSync(dir, account.uid, account.gid);
  return dir;
}

// A TCP port nothing listens on at the moment.
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// Runs a command to completion as `account`, failing with its output when it fails.
export function runAs(account: ServerAccount | undefined, command: string, args: readonly string[], cwd: string): void {
  const [file, argv] = account ? ['setpriv', ['--reuid', String(account.uid), '--regid', String(account.gid), '--init-groups', '--', command, ...args]] : [command, [...args]];
  const result = spawnSync(file, argv, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`);
}

// A running server process and its log.
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  log(): string;
  /** Sends the stop signal, waits for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

// Starts a long-running server with its output in `logFile`. setpriv execs the server in place,
// so the child's pid is the server's and a signal reaches it directly; its parent-death signal
// (`stopSignal`) shuts the server down if the test process dies without stopping it (vitest
// ends its workers with a signal, which runs no exit handler). The server must not change its
// own user afterwards: that would clear the parent-death signal.
export function startServerProcess(account: ServerAccount | undefined, command: string, args: readonly string[], cwd: string, logFile: string, stopSignal: NodeJS.Signals): ServerProcess {
  const fd = openSync(logFile, 'a');
  if (account) chownSync(logFile, account.uid, account.gid);
  const identity = account ? ['--reuid', String(account.uid), '--regid', String(account.gid), '--init-groups'] : [];
  const child = spawn('setpriv', [...identity, '--pdeathsig', stopSignal, '--', command, ...args], { cwd, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    exited,
    log: () => readFileSync(logFile, 'utf8'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(stopSignal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
