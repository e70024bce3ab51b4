import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMariadbServer, type MariadbServer } from '../helpers/mariadb-server.js';
import type { DbCredentials } from '../helpers/postgres-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { cliEntry, createSandbox, expectExit, expectNoSecrets, type CliSandbox } from './run-cli.js';

// The runner and dynamic database credentials on a real MariaDB (issue 12 item 3), with the
// local store and through `secretrun server`: one lease per path, renewed at two thirds of its
// TTL, new credentials and a restart when the max TTL nears, revocation on exit (or not, with
// `leases: keep`), a database going down and back, and `check`/`env`. The command logs in with
// what it got; users are shown gone by a refused login.

const root = fileURLToPath(new URL('../..', import.meta.url));
let db: MariadbServer;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  db = await startMariadbServer();
  await db.query('CREATE DATABASE app');
  await db.query('CREATE TABLE app.items (id int PRIMARY KEY, name varchar(20))');
  await db.query("INSERT INTO app.items VALUES (1, 'one')");
}, 120_000);

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  await db.dropTestUsers();
});

afterAll(async () => {
  await db?.stop();
});

type Where = { name: string; env: Record<string, string> };
type Run = (args: readonly string[]) => ReturnType<CliSandbox['run']>;

async function connect(sandbox: CliSandbox, remote: boolean): Promise<{ run: Run; where: Where }> {
  if (!remote) return { run: (args) => sandbox.run(args), where: { name: 'local', env: {} } };
  const server = await startServerProcess(['-store', sandbox.storePath], sandbox.env, sandbox.dir);
  servers.push(server);
  const env = { VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken ?? '' };
  return { run: (args) => sandbox.run(args, { env }), where: { name: 'server', env } };
}

async function configure(run: Run, ttl: { default: string; max: string }): Promise<void> {
  expectExit(await run(['secrets', 'enable', 'database']), 0);
  expectExit(
    await run([
      'write',
      'database/config/my-database',
      'plugin_name=mysql-database-plugin',
      `connection_url={{username}}:{{password}}@tcp(127.0.0.1:${db.port})/`,
      `username=${db.admin.username}`,
      `password=${db.admin.password}`,
      'allowed_roles=*',
    ]),
    0,
  );
  expectExit(
    await run([
      'write',
      'database/roles/my-role',
      'db_name=my-database',
      "creation_statements=CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.* TO '{{name}}'@'%';",
      `default_ttl=${ttl.default}`,
      `max_ttl=${ttl.max}`,
    ]),
    0,
  );
}

// The command: logs in with DB_USER/DB_PASS, reads a row, leaves the credentials where the
// test can try them later (in the sandbox, removed with it), says so, and runs until stopped.
function writeLoginScript(sandbox: CliSandbox): void {
  writeFileSync(
    join(sandbox.dir, 'login.mjs'),
    `import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
const mysql = createRequire(${JSON.stringify(join(root, 'package.json'))})('mysql2/promise');
const user = process.env.DB_USER, password = process.env.DB_PASS;
const connection = await mysql.createConnection({ host: '127.0.0.1', port: Number(process.env.DB_PORT), user, password });
const [rows] = await connection.query('SELECT name FROM app.items');
await connection.end();
writeFileSync('creds-' + user + '.json', JSON.stringify({ username: user, password }));
console.log('login ok ' + user + ' ' + rows[0].name);
process.on('SIGTERM', () => process.exit(0));
setInterval(() => undefined, 1000);
`,
  );
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

function startRunner(sandbox: CliSandbox, where: Where): Runner {
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

describe.each([
  ['the local store', false],
  ['secretrun server', true],
])('the runner with dynamic credentials through %s', (_name, remote) => {
  it('renews the lease, then at max_ttl restarts the command with new working credentials, and revokes both on exit', async () => {
    const sandbox = createSandbox();
    const { run, where } = await connect(sandbox, remote);
    await configure(run, { default: '3s', max: '8s' });
    writeLoginScript(sandbox);
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), manifest());
    const runner = startRunner(sandbox, where);
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
    await db.query(`CREATE USER '${account}'@'%' IDENTIFIED BY 'initial-password-1'`);
    await db.query(`GRANT SELECT ON app.* TO '${account}'@'%'`);
    expectExit(await run(['write', 'database/static-roles/my-static', 'db_name=my-database', `username=${account}`, 'rotation_period=5s']), 0);
    writeLoginScript(sandbox);
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), `debounce: 0s
env:
  DB_USER: { ref: database/static-creds/my-static#username, mask: false }
  DB_PASS: database/static-creds/my-static#password
`);
    const runner = startRunner(sandbox, where);
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
    await db.query(`DROP USER '${account}'@'%'`);
  }, 60_000);

  it('keeps its lease at exit with leases: keep', async () => {
    const sandbox = createSandbox();
    const { run, where } = await connect(sandbox, remote);
    await configure(run, { default: '1h', max: '2h' });
    writeLoginScript(sandbox);
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), manifest('leases: keep\n'));
    const runner = startRunner(sandbox, where);
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
    const usersBefore = (await db.query("SELECT user FROM mysql.user WHERE user LIKE 'v-%'")).length;
    const check = expectExit(await run(['check']), 0).stdout;
    expect(check).toMatch(/^DB_PASS +reference +database\/creds\/my-role#password {2}\(dynamic, not read\)$/m);
    expect(check).toMatch(/^DB_USER +reference +database\/creds\/my-role#username {2}\(dynamic, not read\)$/m);
    expect((await db.query("SELECT user FROM mysql.user WHERE user LIKE 'v-%'")).length).toBe(usersBefore);

    const dynamic = expectExit(await run(['check', '-dynamic']), 0).stdout;
    expect(dynamic).not.toContain('not read');
    expect(dynamic).toContain('ok: 2 variables resolved');
    // The user it created for the check is gone again.
    expect((await db.query("SELECT user FROM mysql.user WHERE user LIKE 'v-%'")).length).toBe(usersBefore);

    const env = expectExit(await run(['env', '-format=json']), 0);
    const values = JSON.parse(env.stdout) as { DB_USER: string; DB_PASS: string };
    expect(env.stderr).toMatch(/^secretrun: DB_USER, DB_PASS \(database\/creds\/my-role\) are leased until \d{4}-\d\d-\d\dT[\d:.]+Z \(lease database\/creds\/my-role\/\S+; end it with `secretrun lease revoke database\/creds\/my-role\/\S+`\)$/m);
    expectNoSecrets(env.stderr, [values.DB_PASS], 'env\'s stderr');
    // env's values are for later: the lease outlives the command.
    expect(await db.canLogIn({ username: values.DB_USER, password: values.DB_PASS })).toBe(true);
  }, 60_000);
});

describe('the runner with dynamic credentials and a database that goes down', () => {
  it('says it cannot get new credentials while the database is down, and restarts with working ones once it is back', async () => {
    const sandbox = createSandbox();
    const { run, where } = await connect(sandbox, false);
    await configure(run, { default: '3s', max: '5s' });
    writeLoginScript(sandbox);
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), manifest());
    const runner = startRunner(sandbox, where);
    try {
      await waitFor('the first login', () => runner.logins().length > 0, { timeoutMs: 20_000 });
      await db.pause();
      let before: number;
      try {
        await waitFor('the runner to say it cannot get new credentials', () => /cannot read new credentials for database\/creds\/my-role/.test(runner.stderr()), { timeoutMs: 15_000, intervalMs: 50 });
        before = runner.logins().length;
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
    // One line for the outage, naming the connection without its password, one for the recovery.
    expect(runner.stderr()).toMatch(/^secretrun: source unavailable \(cannot read new credentials for database\/creds\/my-role \(max TTL reached\): GET database\/creds\/my-role returned 500: mysql-database-plugin cannot connect to 127\.0\.0\.1:\d+\/: connect ECONNREFUSED [\d.:]+\); keeping the command running on last-known values\nsecretrun: source available again\nsecretrun: DB_PASS, DB_USER changed, restarting\n$/m);
    expectNoSecrets(runner.stdout() + runner.stderr(), [...allPasswords(sandbox), db.admin.password], 'the runner\'s output');
  }, 90_000);
});
