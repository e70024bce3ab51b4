import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { waitFor } from '../helpers/wait-for.js';
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
});
