import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file-store.js';
import { isJsonObject } from '../../src/json.js';
import { startMariadbServer, type MariadbServer } from '../helpers/mariadb-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { createSandbox, expectExit, expectNoSecrets, type CliResult, type CliSandbox } from './run-cli.js';

// Issue 12's safety rules on a real MariaDB: root and generated passwords appear only in the
// credentials read that hands them out — never in other output, errors, the server's log or
// audit lines; a database that is down gives a one-line error naming host:port without a
// password and a non-zero exit, leaves no half-created user, and an expired lease whose
// revocation failed meanwhile is reported, kept and revoked once the database is back.

let db: MariadbServer;
const servers: ServerProcess[] = [];
// The database was stopped by a test and must be started again for the next.
let paused = false;

beforeAll(async () => {
  db = await startMariadbServer();
  await db.query('CREATE DATABASE app');
}, 120_000);

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  if (paused) await db.resume();
  paused = false;
  await db.dropTestUsers();
});

afterAll(async () => {
  await db?.stop();
});

const row = (stdout: string, key: string): string => new RegExp(`^${key} +(\\S+)$`, 'm').exec(stdout)?.[1] ?? '';
const creation = "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.* TO '{{name}}'@'%';";

type Run = (args: readonly string[]) => Promise<CliResult>;

async function configure(run: Run, admin: { username: string; password: string }, ttl = '1h'): Promise<void> {
  expectExit(await run(['secrets', 'enable', 'database']), 0);
  expectExit(
    await run(['write', 'database/config/db', 'plugin_name=mysql-database-plugin', `connection_url={{username}}:{{password}}@tcp(127.0.0.1:${db.port})/`, `username=${admin.username}`, `password=${admin.password}`, 'allowed_roles=*']),
    0,
  );
  expectExit(await run(['write', 'database/roles/r', 'db_name=db', `creation_statements=${creation}`, `default_ttl=${ttl}`, 'max_ttl=24h']), 0);
}

// The connection's root password as the engine stored it (after rotate-root only it knows it).
async function storedRootPassword(sandbox: CliSandbox): Promise<string> {
  const store = await openFileStore({ path: sandbox.storePath, env: sandbox.env });
  try {
    return await store.read((storage) => {
      const key = storage.list('database/').find((k) => k.endsWith('/config/db')) ?? '';
      const entry = storage.get(key);
      const details = isJsonObject(entry) && isJsonObject(entry['connection_details']) ? entry['connection_details'] : {};
      return String(details['password']);
    });
  } finally {
    await store.close();
  }
}

describe('database secrets stay secret', () => {
  it('root and generated passwords appear only in the read that hands them out', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-store', sandbox.storePath], sandbox.env, sandbox.dir);
    servers.push(server);
    const outputs: string[] = [];
    const run: Run = async (args) => {
      const result = await sandbox.run(args, { env: { VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken ?? '' } });
      outputs.push(result.stdout, result.stderr);
      return result;
    };
    const auditLog = join(sandbox.dir, 'audit.log');
    expectExit(await run(['audit', 'enable', 'file', `file_path=${auditLog}`]), 0);
    const admin = await db.createAdmin('safety_admin');
    await configure(run, admin);
    expectExit(await run(['read', 'database/config/db']), 0);

    const creds = expectExit(await run(['read', 'database/creds/r']), 0);
    const generated = row(creds.stdout, 'password');
    outputs.splice(outputs.indexOf(creds.stdout), 1);
    expectExit(await run(['lease', 'lookup', row(creds.stdout, 'lease_id')]), 0);
    expectExit(await run(['lease', 'renew', row(creds.stdout, 'lease_id')]), 0);
    expectExit(await run(['lease', 'revoke', row(creds.stdout, 'lease_id')]), 0);

    expectExit(await run(['write', '-f', 'database/rotate-root/db']), 0);
    const root = await storedRootPassword(sandbox);
    expect(root).toMatch(/^[A-Za-z0-9-]{20}$/);
    expect(root).not.toBe(admin.password);
    // A statement the database refuses, with the password in it: the error hides it.
    expectExit(await run(['write', 'database/roles/bad', 'db_name=db', "creation_statements=CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.nope TO '{{name}}'@'%';"]), 0);
    const refused = expectExit(await run(['read', 'database/creds/bad']), 2);
    expect(refused.stderr).toContain(`127.0.0.1:${db.port}`);

    const texts = [...outputs, server.stdout(), server.stderr(), readFileSync(auditLog, 'utf8')].join('\n');
    expectNoSecrets(texts, [admin.password, generated, root], 'outputs, errors, the server log and audit lines');
  });

  it('a database that is down: one line naming host:port, non-zero exit, no half-created user; a failed revocation is kept and retried', async () => {
    const sandbox = createSandbox();
    const run: Run = (args) => sandbox.run(args);
    const admin = await db.createAdmin('down_admin');
    await configure(run, admin, '1s');
    const leased = expectExit(await run(['read', 'database/creds/r']), 0).stdout;
    const creds = { username: row(leased, 'username'), password: row(leased, 'password') };

    // A creation that fails half-way (the GRANT) leaves no user behind.
    expectExit(await run(['write', 'database/roles/half', 'db_name=db', "creation_statements=CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.nope TO '{{name}}'@'%';"]), 0);
    const before = await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM mysql.user WHERE User LIKE 'v-%'");
    expectExit(await run(['read', 'database/creds/half']), 2);
    expect(await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM mysql.user WHERE User LIKE 'v-%'")).toEqual(before);
    // Nor a lease: the one recorded while the creation ran is deleted when it fails.
    expect(expectExit(await run(['list', 'sys/leases/lookup/database/creds/half/']), 2).stdout).toBe('');

    expectExit(await run(['write', 'database/roles/long', 'db_name=db', `creation_statements=${creation}`, 'default_ttl=1h']), 0);
    const long = expectExit(await run(['read', 'database/creds/long']), 0).stdout;

    await db.pause();
    paused = true;
    // revoke-force forgets a lease whose revocation fails (the user stays: that is what -force means).
    const forced = expectExit(await run(['lease', 'revoke', '-force', '-prefix', 'database/creds/long']), 0);
    expect(forced.stdout).toBe('Success! Force revoked any leases with prefix: database/creds/long\n');
    expect(forced.stderr).toContain('Force-removing leases can cause Vault to become out of sync');
    expect(expectExit(await run(['lease', 'lookup', row(long, 'lease_id')]), 2).stderr).toContain('invalid lease');
    const down = expectExit(await run(['read', 'database/creds/r']), 2);
    // The expired lease's failed revocation may be reported first, on a line of its own.
    const errorLines = down.stderr.trim().split('\n').filter((line) => !line.startsWith('secretrun: revoking expired lease'));
    expect(errorLines).toHaveLength(1);
    expect(down.stderr).toContain(`cannot connect to 127.0.0.1:${db.port}/`);
    expectNoSecrets(down.stderr, [admin.password], 'the error of a database that is down');

    // The lease expires while the database is down: the revocation fails, is reported, kept.
    const reported = await waitFor('the failed revocation to be reported', async () => {
      const result = await run(['secrets', 'list']);
      return result.stderr.includes('revoking expired lease') ? result.stderr : undefined;
    });
    expect(reported).toContain('retried with backoff');
    expect(reported).toContain(`127.0.0.1:${db.port}`);
    const leaseId = row(leased, 'lease_id');
    expectExit(await run(['lease', 'lookup', leaseId]), 0);

    await db.resume();
    paused = false;
    await waitFor(
      'the kept lease to be revoked once the database is back',
      async () => {
        await run(['secrets', 'list']);
        return !(await db.canLogIn(creds));
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(await db.userExists(row(long, 'username'))).toBe(true);
    const tidy = expectExit(await run(['write', '-f', 'sys/leases/tidy']), 0);
    expect(tidy.stderr + tidy.stdout).toContain('Tidy operation successfully started');
    expectExit(await run(['write', '-f', 'database/reset/db']), 0);
    const after = await run(['lease', 'lookup', leaseId]);
    expect(after.stdout + after.stderr).toContain('invalid lease');
  });

  it('the server logs a revocation that failed and retries it by itself until the database is back', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-store', sandbox.storePath], sandbox.env, sandbox.dir);
    servers.push(server);
    const run: Run = (args) => sandbox.run(args, { env: { VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken ?? '' } });
    const admin = await db.createAdmin('server_down_admin');
    await configure(run, admin, '2s');
    const leased = expectExit(await run(['read', 'database/creds/r']), 0).stdout;
    const creds = { username: row(leased, 'username'), password: row(leased, 'password') };
    await db.pause();
    paused = true;
    const logged = await waitFor('the server to log the failed revocation', () => /revoking expired lease .* failed \(attempt \d+, retried with backoff\): .*127\.0\.0\.1:\d+/.exec(server.stderr())?.[0], { timeoutMs: 15_000 });
    expectNoSecrets(logged, [admin.password, creds.password], 'the server log');
    await db.resume();
    paused = false;
    // No command runs: the server's own timer retries.
    await waitFor('the server to revoke the lease once the database is back', async () => !(await db.canLogIn(creds)), { timeoutMs: 20_000, intervalMs: 200 });
  });
});
