import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { startServerProcess } from '../http/server-process.js';
import { createSandbox, expectExit, type CliSandbox } from './run-cli.js';

// Leases of PostgreSQL credentials through the CLI: the user's VALID UNTIL follows the lease
// (renewal moves it), revocation and expiry drop the role (checked by trying to log in).

let db: PostgresServer;

beforeAll(async () => {
  db = await startPostgresServer();
  await db.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await db.query("INSERT INTO items VALUES (1, 'one')");
}, 120_000);

afterEach(async () => {
  await db.dropTestRoles();
});

afterAll(async () => {
  await db?.stop();
});

const row = (stdout: string, key: string): string => new RegExp(`^${key} +(\\S+)$`, 'm').exec(stdout)?.[1] ?? '';

async function configure(sandbox: CliSandbox, ttl: string): Promise<void> {
  expectExit(await sandbox.run(['secrets', 'enable', '-path=pg', 'database']), 0);
  expectExit(
    await sandbox.run([
      'write',
      'pg/config/app',
      'plugin_name=postgresql-database-plugin',
      `connection_url=postgresql://{{username}}:{{password}}@127.0.0.1:${db.port}/postgres?sslmode=disable`,
      `username=${db.admin.username}`,
      `password=${db.admin.password}`,
      'allowed_roles=reader',
    ]),
    0,
  );
  expectExit(
    await sandbox.run([
      'write',
      'pg/roles/reader',
      'db_name=app',
      `creation_statements=CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`,
      `default_ttl=${ttl}`,
      'max_ttl=24h',
    ]),
    0,
  );
}

const validUntil = async (name: string): Promise<number> => {
  const [found] = await db.query<{ until: Date }>('SELECT rolvaliduntil AS until FROM pg_roles WHERE rolname = $1', [name]);
  return found?.until.getTime() ?? 0;
};

describe('PostgreSQL credentials under leases (mount at pg/)', () => {
  it('grants what the role says, moves VALID UNTIL on renewal, and drops the role on revocation', async () => {
    const sandbox = createSandbox();
    await configure(sandbox, '1h');
    const out = expectExit(await sandbox.run(['read', 'pg/creds/reader']), 0).stdout;
    const creds = { username: row(out, 'username'), password: row(out, 'password') };
    expect(row(out, 'lease_id')).toMatch(/^pg\/creds\/reader\//);
    expect(await db.asUser(creds, async (client) => (await client.query('SELECT name FROM items')).rows)).toEqual([{ name: 'one' }]);
    const before = await validUntil(creds.username);
    expect(before).toBeGreaterThan(Date.now() + 3_500_000);
    expectExit(await sandbox.run(['lease', 'renew', '-increment=5h', row(out, 'lease_id')]), 0);
    expect(await validUntil(creds.username)).toBeGreaterThan(Date.now() + 5 * 3_600_000 - 60_000);
    expectExit(await sandbox.run(['lease', 'revoke', '-sync', row(out, 'lease_id')]), 0);
    expect(await db.canLogIn(creds)).toBe(false);
    expect(await db.roleExists(creds.username)).toBe(false);
  });

  it('drops the role of an expired lease on the next command', async () => {
    const sandbox = createSandbox();
    await configure(sandbox, '1s');
    const out = expectExit(await sandbox.run(['read', 'pg/creds/reader']), 0).stdout;
    const creds = { username: row(out, 'username'), password: row(out, 'password') };
    await waitFor('the expired role to be dropped', async () => {
      await sandbox.run(['kv', 'list', 'secret/']);
      return !(await db.roleExists(creds.username));
    });
    expect(await db.canLogIn(creds)).toBe(false);
  });

  it('revokes the leases of a mount before disabling it', async () => {
    const sandbox = createSandbox();
    await configure(sandbox, '1h');
    const out = expectExit(await sandbox.run(['read', 'pg/creds/reader']), 0).stdout;
    const creds = { username: row(out, 'username'), password: row(out, 'password') };
    expect(await db.canLogIn(creds)).toBe(true);
    expectExit(await sandbox.run(['secrets', 'disable', 'pg']), 0);
    expect(await db.roleExists(creds.username)).toBe(false);
    expect(expectExit(await sandbox.run(['lease', 'lookup', row(out, 'lease_id')]), 2).stderr).toContain('invalid lease');
    expect(expectExit(await sandbox.run(['secrets', 'list']), 0).stdout).not.toContain('pg/');
  });

  it('records the lease while the role is created: a server killed in between leaves a lease whose revocation finds no role', async () => {
    const sandbox = createSandbox();
    await configure(sandbox, '1h');
    // The creation waits on an advisory lock this test holds, after CREATE ROLE, in its transaction.
    expectExit(
      await sandbox.run([
        'write',
        'pg/roles/slow',
        'db_name=app',
        `creation_statements=CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'; SELECT pg_advisory_xact_lock(4242); GRANT SELECT ON items TO "{{name}}";`,
        'revocation_statements=DROP ROLE "{{name}}";',
      ]),
      0,
    );
    expectExit(await sandbox.run(['write', 'pg/config/app', 'allowed_roles=reader,slow']), 0);
    const slowRoles = async (): Promise<unknown[]> => db.query("SELECT rolname FROM pg_roles WHERE rolname LIKE 'v-%-slow-%'");
    let token = '';
    const leaseId = await db.asUser(db.admin, async (holder) => {
      await holder.query('SELECT pg_advisory_lock(4242)');
      const server = await startServerProcess(['-store', sandbox.storePath], sandbox.env, sandbox.dir);
      token = server.rootToken ?? '';
      const viaServer = { env: { VAULT_ADDR: server.url, VAULT_TOKEN: token } };
      const reading = sandbox.run(['read', 'pg/creds/slow'], viaServer);
      const key = await waitFor('the lease to be recorded while the role is being created', async () => {
        const listed = await sandbox.run(['list', '-format=json', 'sys/leases/lookup/pg/creds/slow/'], viaServer);
        return listed.exitCode === 0 ? (JSON.parse(listed.stdout) as string[])[0] : undefined;
      });
      await waitFor('the creation to wait on the lock', async () => (await db.query("SELECT pid FROM pg_stat_activity WHERE wait_event = 'advisory'")).length === 1);
      await server.stop('SIGKILL');
      // The killed server's transaction never commits.
      await holder.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'advisory'");
      expect((await reading).exitCode).not.toBe(0);
      return `pg/creds/slow/${key}`;
    });
    expect(await slowRoles()).toEqual([]);
    const restarted = await startServerProcess(['-store', sandbox.storePath], sandbox.env, sandbox.dir);
    try {
      const viaServer = { env: { VAULT_ADDR: restarted.url, VAULT_TOKEN: token } };
      expect(expectExit(await sandbox.run(['lease', 'lookup', leaseId], viaServer), 0).stdout).toMatch(new RegExp(`^id +${leaseId}$`, 'm'));
      // The role's DROP ROLE fails (no such role); the lease has nothing left to revoke.
      expectExit(await sandbox.run(['lease', 'revoke', '-sync', leaseId], viaServer), 0);
      expect(expectExit(await sandbox.run(['lease', 'lookup', leaseId], viaServer), 2).stderr).toContain('invalid lease');
    } finally {
      await restarted.stop();
    }
  });
});
