import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { configureDatabaseMount, useDatabaseFixture, writeReaderRole, type DatabaseFixture, type DatabaseKind } from '../helpers/database-fixture.js';
import type { DbCredentials } from '../helpers/postgres-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { cliEntry, createSandbox, expectExit, expectNoSecrets, type CliSandbox } from './run-cli.js';

// The runner and dynamic database credentials on a real MariaDB and a real PostgreSQL (issue
// 12 item 3), with the local store and through `secretrun server`: one lease per path, renewed
// at two thirds of its TTL, new credentials and a restart when the max TTL nears, revocation on
// exit (or not, with `leases: keep`), static-creds rotation, a database going down and back,
// and `check`/`env`. The command logs in with what it got; users are shown gone by a refused
// login, and no password appears in the runner's output.

const servers: ServerProcess[] = [];
const stopServers = async (): Promise<void> => {
  for (const server of servers.splice(0)) await server.stop();
};

type Where = { name: string; env: Record<string, string> };
type Run = (args: readonly string[]) => ReturnType<CliSandbox['run']>;

async function connect(sandbox: CliSandbox, remote: boolean): Promise<{ run: Run; where: Where }> {
  if (!remote) return { run: (args) => sandbox.run(args), where: { name: 'local', env: {} } };
  const server = await startServerProcess(['-store', sandbox.storePath], sandbox.env, sandbox.dir);
  servers.push(server);
  const env = { VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken ?? '' };
  return { run: (args) => sandbox.run(args, { env }), where: { name: 'server', env } };
}

const manifest = (extra = ''): string => `debounce: 0s
env:
  DB_USER: { ref: database/creds/my-role#username, mask: false }
  DB_PASS: database/creds/my-role#password
${extra}`;

interface Runner {
  process: ResultPromise;
  stdout: () => string;
  stderr: () => string;
  /** The users the command logged in as, in order. */
  logins: () => string[];
}

function startRunner(sandbox: CliSandbox, where: Where, db: DatabaseFixture): Runner {
  const child = execa(process.execPath, [cliEntry(), '--', process.execPath, 'login.mjs'], {
    cwd: sandbox.dir,
    env: { ...sandbox.env, ...where.env, DB_PORT: String(db.port) },
    extendEnv: false,
    reject: false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    logins: () => [...stdout.matchAll(/^login ok (\S+) one$/gm)].map((match) => match[1] ?? ''),
  };
}

function credsOf(sandbox: CliSandbox, username: string): DbCredentials {
  return JSON.parse(readFileSync(join(sandbox.dir, `creds-${username}.json`), 'utf8')) as DbCredentials;
}

function allPasswords(sandbox: CliSandbox): string[] {
  return readdirSync(sandbox.dir)
    .filter((name) => name.startsWith('creds-'))
    .map((name) => (JSON.parse(readFileSync(join(sandbox.dir, name), 'utf8')) as DbCredentials).password);
}

describe.each<[string, DatabaseKind]>([
  ['MariaDB', 'mariadb'],
  ['PostgreSQL', 'postgresql'],
])('the runner with dynamic credentials on %s', (_title, kind) => {
  const db = useDatabaseFixture(kind, { beforeDrop: stopServers });

  const configure = (run: Run, ttl: { default: string; max: string }): Promise<void> => configureDatabaseMount(run, db, ttl);
  const writeLoginScript = (sandbox: CliSandbox): void => writeFileSync(join(sandbox.dir, 'login.mjs'), db.loginScript());

  // A sandbox with the mount configured with `ttl`, the login command and `manifestText`, and
  // the runner started in it.
  async function startConfigured(remote: boolean, ttl: { default: string; max: string }, manifestText = manifest()) {
    const sandbox = createSandbox();
    const { run, where } = await connect(sandbox, remote);
    await configure(run, ttl);
    writeLoginScript(sandbox);
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), manifestText);
    return { sandbox, run, runner: startRunner(sandbox, where, db) };
  }

  describe.each([
    ['the local store', false],
    ['secretrun server', true],
  ])('through %s', (_name, remote) => {
    it('renews the lease, then at max_ttl restarts the command with new working credentials, and revokes both on exit', async () => {
      const { sandbox, run, runner } = await startConfigured(remote, { default: '3s', max: '8s' });
      try {
        const [first] = await waitFor('the first login', () => (runner.logins().length > 0 ? runner.logins() : undefined), { timeoutMs: 20_000 });
        const started = Date.now();
        const firstCreds = credsOf(sandbox, first ?? '');
        // Past the first TTL the user still logs in: the runner renewed the lease (a local
        // command revokes what expired, so one runs here first).
        await waitFor('the first TTL to pass', () => Date.now() - started > 3500, { timeoutMs: 6000, intervalMs: 100 });
        if (!remote) expectExit(await run(['secrets', 'list']), 0);
        expect(await db.canLogIn(firstCreds)).toBe(true);
        expect(runner.logins()).toEqual([first]);
        // Then the max TTL nears: new credentials, a restart, a login with them.
        const logins = await waitFor('the restart with new credentials', () => (runner.logins().length > 1 ? runner.logins() : undefined), { timeoutMs: 15_000, intervalMs: 50 });
        expect(logins[1]).not.toBe(first);
        expect(runner.stderr()).toBe('secretrun: DB_PASS, DB_USER changed, restarting\n');
      } finally {
        runner.process.kill('SIGTERM');
      }
      const result = await runner.process;
      expect(result.exitCode).toBe(0);
      for (const username of runner.logins()) {
        expect(await db.canLogIn(credsOf(sandbox, username))).toBe(false);
        expect(await db.userExists(username)).toBe(false);
      }
      expectNoSecrets(runner.stdout() + runner.stderr(), allPasswords(sandbox), 'the runner\'s output');
    }, 60_000);

    it('restarts the command when a static role\'s password rotates', async () => {
      const sandbox = createSandbox();
      const { run, where } = await connect(sandbox, remote);
      await configure(run, { default: '1h', max: '2h' });
      const account = `static_${remote ? 'r' : 'l'}`;
      await db.createReader({ username: account, password: 'initial-password-1' });
      expectExit(await run(['write', 'database/static-roles/my-static', 'db_name=my-database', `username=${account}`, 'rotation_period=5s']), 0);
      writeLoginScript(sandbox);
      writeFileSync(join(sandbox.dir, 'secretrun.yaml'), `debounce: 0s
env:
  DB_USER: { ref: database/static-creds/my-static#username, mask: false }
  DB_PASS: database/static-creds/my-static#password
`);
      const runner = startRunner(sandbox, where, db);
      const passwords: string[] = [];
      try {
        await waitFor('the first login', () => runner.logins().length > 0, { timeoutMs: 20_000 });
        passwords.push(credsOf(sandbox, account).password);
        // The role rotates every 5 s: the command is restarted with the new password, which works.
        await waitFor('the restart after a rotation', () => runner.logins().length > 1, { timeoutMs: 20_000, intervalMs: 50 });
        passwords.push(credsOf(sandbox, account).password);
      } finally {
        runner.process.kill('SIGTERM');
      }
      expect((await runner.process).exitCode).toBe(0);
      expect(runner.logins()[1]).toBe(account);
      expect(passwords[1]).not.toBe(passwords[0]);
      expect(runner.stderr()).toMatch(/^secretrun: DB_PASS changed, restarting\n/);
      expectNoSecrets(runner.stdout() + runner.stderr(), passwords, 'the runner\'s output');
      expectExit(await run(['delete', 'database/static-roles/my-static']), 0);
    }, 60_000);

    it('keeps its lease at exit with leases: keep', async () => {
      const { sandbox, run, runner } = await startConfigured(remote, { default: '1h', max: '2h' }, manifest('leases: keep\n'));
      const [user] = await waitFor('the login', () => (runner.logins().length > 0 ? runner.logins() : undefined), { timeoutMs: 20_000 });
      runner.process.kill('SIGTERM');
      expect((await runner.process).exitCode).toBe(0);
      expect(await db.canLogIn(credsOf(sandbox, user ?? ''))).toBe(true);
      expect(expectExit(await run(['lease', 'revoke', '-prefix', '-sync', 'database/creds/my-role']), 0).exitCode).toBe(0);
      expect(await db.canLogIn(credsOf(sandbox, user ?? ''))).toBe(false);
    }, 60_000);

    it('check reads no dynamic secret unless -dynamic; env says the values are leased and until when', async () => {
      const sandbox = createSandbox();
      const { run } = await connect(sandbox, remote);
      await configure(run, { default: '1h', max: '2h' });
      writeFileSync(join(sandbox.dir, 'secretrun.yaml'), manifest());
      const usersBefore = await db.countDynamicUsers();
      const check = expectExit(await run(['check']), 0).stdout;
      expect(check).toMatch(/^DB_PASS +reference +database\/creds\/my-role#password {2}\(dynamic, not read\)$/m);
      expect(check).toMatch(/^DB_USER +reference +database\/creds\/my-role#username {2}\(dynamic, not read\)$/m);
      expect(await db.countDynamicUsers()).toBe(usersBefore);

      const dynamic = expectExit(await run(['check', '-dynamic']), 0).stdout;
      expect(dynamic).not.toContain('not read');
      expect(dynamic).toContain('ok: 2 variables resolved');
      // The user it created for the check is gone again.
      expect(await db.countDynamicUsers()).toBe(usersBefore);

      const env = expectExit(await run(['env', '-format=json']), 0);
      const values = JSON.parse(env.stdout) as { DB_USER: string; DB_PASS: string };
      expect(env.stderr).toMatch(/^secretrun: DB_USER, DB_PASS \(database\/creds\/my-role\) are leased until \d{4}-\d\d-\d\dT[\d:.]+Z \(lease database\/creds\/my-role\/\S+; end it with `secretrun lease revoke database\/creds\/my-role\/\S+`\)$/m);
      expectNoSecrets(env.stderr, [values.DB_PASS], 'env\'s stderr');
      // env's values are for later: the lease outlives the command.
      expect(await db.canLogIn({ username: values.DB_USER, password: values.DB_PASS })).toBe(true);
    }, 60_000);
  });

  describe('with a database that goes down', () => {
    it('says it cannot get new credentials while the database is down, and restarts with working ones once it is back', async () => {
      const { sandbox, run, runner } = await startConfigured(false, { default: '3s', max: '5s' });
      try {
        await waitFor('the first login', () => runner.logins().length > 0, { timeoutMs: 20_000 });
        await db.pause();
        let before: number;
        try {
          // PostgreSQL's renewals reach the database (VALID UNTIL), MariaDB's do not: it says so
          // when it renews, or when it reads new credentials at the max TTL.
          await waitFor('the runner to say it cannot keep its credentials', () => /source unavailable/.test(runner.stderr()), { timeoutMs: 15_000, intervalMs: 50 });
          before = runner.logins().length;
          // The credentials read once the database is back last: one restart, not one more
          // at their max TTL while the test stops the runner.
          await writeReaderRole(run, db, 'my-role', { default: '1h', max: '2h' });
        } finally {
          await db.resume();
        }
        // The command ran on meanwhile; once the database is back it is restarted with new credentials that work.
        const logins = await waitFor('the restart with new credentials', () => (runner.logins().length > before ? runner.logins() : undefined), { timeoutMs: 20_000, intervalMs: 50 });
        expect(new Set(logins).size).toBe(logins.length);
      } finally {
        runner.process.kill('SIGTERM');
      }
      expect((await runner.process).exitCode).toBe(0);
      // One line for the outage, naming the connection without its password, one for the
      // recovery. (Besides, the local store's engine reports each failed revocation of the
      // expired lease on a line of its own.)
      const lines = runner.stderr().split('\n').filter((line) => line !== '' && !line.startsWith('secretrun: revoking expired lease database/creds/my-role/'));
      const reason = String.raw`(?:cannot read new credentials for database\/creds\/my-role \((?:max TTL reached|lease expired)\): GET database\/creds\/my-role|cannot renew the lease of database\/creds\/my-role \(attempt 1\): renewing the lease) returned 500`;
      const connection = db.connection.replaceAll('.', '\\.');
      expect(lines[0]).toMatch(new RegExp(String.raw`^secretrun: source unavailable \(${reason}: ${db.pluginName} cannot connect to ${connection}: connect ECONNREFUSED [\d.:]+\); keeping the command running on last-known values$`));
      expect(lines.slice(1)).toEqual(['secretrun: source available again', 'secretrun: DB_PASS, DB_USER changed, restarting']);
      expectNoSecrets(runner.stdout() + runner.stderr(), [...allPasswords(sandbox), db.admin.password], 'the runner\'s output');
    }, 90_000);
  });
});
