import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConnectionConfig } from '../../src/database/connection-config.js';
import type { DatabasePlugin, PluginEffects } from '../../src/database/database-plugin.js';
import { createPluginEffects, openDatabasePlugin } from '../../src/database/plugin-loader.js';
import { SecretrunError } from '../../src/errors.js';
import { errorOf } from '../kv/kv-harness.js';
import { startPostgresServer, type DbCredentials, type PostgresServer } from '../helpers/postgres-server.js';

// postgresql-database-plugin against a real PostgreSQL started for this file.

let server: PostgresServer;
const opened: DatabasePlugin[] = [];

beforeAll(async () => {
  server = await startPostgresServer();
  await server.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await server.query("INSERT INTO items VALUES (1, 'one')");
});

afterEach(async () => {
  for (const plugin of opened.splice(0)) await plugin.close();
  await server.dropTestRoles();
});

afterAll(async () => {
  await server?.stop();
});

const templatedUrl = (query = '?sslmode=disable') => `postgresql://{{username}}:{{password}}@127.0.0.1:${server.port}/postgres${query}`;

async function open(details: Record<string, unknown> = {}, effects: PluginEffects = createPluginEffects()): Promise<DatabasePlugin> {
  const config = parseConnectionConfig('postgresql-database-plugin', {
    connection_url: templatedUrl(),
    username: server.admin.username,
    password: server.admin.password,
    ...details,
  });
  const plugin = await openDatabasePlugin(config, effects);
  opened.push(plugin);
  return plugin;
}

const creation = [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`, 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";'];
const hour = 3_600_000;
const newPassword = (): string => `A1-${randomBytes(12).toString('base64url')}`;

async function createUser(plugin: DatabasePlugin, statements = creation): Promise<DbCredentials> {
  const password = newPassword();
  const username = plugin.generateUsername({ displayName: 'token', roleName: 'my-role' });
  await plugin.createUser({ username, statements, rollbackStatements: [], password, expiration: Date.now() + hour });
  return { username, password };
}

const validUntil = async (role: string): Promise<number> => {
  const [row] = await server.query<{ until: Date }>('SELECT rolvaliduntil AS until FROM pg_roles WHERE rolname = $1', [role]);
  return row?.until.getTime() ?? Number.NaN;
};

describe('postgresql-database-plugin', () => {
  it('verifies its connection, with a templated URL and without sslmode (prefer falls back to plain)', async () => {
    const plugin = await open();
    await plugin.verifyConnection();
    const preferring = await open({ connection_url: templatedUrl('') });
    await preferring.verifyConnection();
    expect(plugin.connection).toBe(`127.0.0.1:${server.port}/postgres`);
  });

  it('creates a user who can log in and do exactly what the statements granted', async () => {
    const plugin = await open();
    const user = await createUser(plugin);
    expect(user.username).toMatch(/^v-token-my-role-[0-9A-Za-z]{20}-\d{10}$/);
    await server.asUser(user, async (client) => {
      expect((await client.query('SELECT name FROM items')).rows).toEqual([{ name: 'one' }]);
      await expect(client.query("INSERT INTO items VALUES (2, 'two')")).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('CREATE ROLE intruder')).rejects.toMatchObject({ code: '42501' });
    });
    // {{expiration}} reached PostgreSQL as the lease's end.
    expect(Math.abs((await validUntil(user.username)) - (Date.now() + hour))).toBeLessThan(60_000);
  });

  it('says when the statements are on their way, while the database is still at them', async () => {
    // The statements first sleep, so that a look from another connection when onSent fires
    // finds no role yet: onSent comes once they are sent, not once they are done.
    const plugin = await open();
    const username = plugin.generateUsername({ displayName: 'token', roleName: 'my-role' });
    let look: Promise<unknown[]> | undefined;
    let calls = 0;
    const onSent = (): void => {
      calls += 1;
      look = server.query('SELECT rolname FROM pg_roles WHERE rolname = $1', [username]);
    };
    await plugin.createUser({ username, statements: ['SELECT pg_sleep(0.5);', ...creation], rollbackStatements: [], password: newPassword(), expiration: Date.now() + hour, onSent });
    expect(calls).toBe(1);
    expect(await look).toEqual([]);
    expect(await server.query('SELECT rolname FROM pg_roles WHERE rolname = $1', [username])).toHaveLength(1);
  });

  it('writes {{expiration}} so PostgreSQL refuses the login once it has passed', async () => {
    const plugin = await open();
    const password = newPassword();
    const username = plugin.generateUsername({ displayName: 'token', roleName: 'expired' });
    await plugin.createUser({ username, statements: creation, rollbackStatements: [], password, expiration: Date.now() - 60_000 });
    expect(await server.roleExists(username)).toBe(true);
    expect(await server.canLogIn({ username, password })).toBe(false);
  });

  it('keeps a dollar-quoted body whole and runs it', async () => {
    const plugin = await open();
    const user = await createUser(plugin, [
      `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'; DO $$ BEGIN EXECUTE format('GRANT SELECT ON items TO %I', '{{name}}'); END $$;`,
    ]);
    await server.asUser(user, async (client) => expect((await client.query('SELECT count(*)::int AS n FROM items')).rows).toEqual([{ n: 1 }]));
  });

  it('revokes with the default drop: the user is gone and cannot log in', async () => {
    const plugin = await open();
    const user = await createUser(plugin);
    expect(await server.canLogIn(user)).toBe(true);
    await plugin.revokeUser({ username: user.username, statements: [] });
    expect(await server.roleExists(user.username)).toBe(false);
    expect(await server.canLogIn(user)).toBe(false);
    // Revoking again is not an error: the user is already gone.
    await plugin.revokeUser({ username: user.username, statements: [] });
  });

  it("revokes with the role's statements", async () => {
    const plugin = await open();
    const user = await createUser(plugin);
    await plugin.revokeUser({ username: user.username, statements: ['REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{{name}}"; DROP ROLE "{{name}}";'] });
    expect(await server.canLogIn(user)).toBe(false);
  });

  it("renews by moving VALID UNTIL (default statement, then the role's own)", async () => {
    const plugin = await open();
    const user = await createUser(plugin);
    const later = Date.now() + 5 * hour;
    await plugin.renewUser({ username: user.username, statements: [], expiration: later });
    expect(Math.abs((await validUntil(user.username)) - later)).toBeLessThan(1000);
    const evenLater = later + hour;
    await plugin.renewUser({ username: user.username, statements: [`ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}'`], expiration: evenLater });
    expect(Math.abs((await validUntil(user.username)) - evenLater)).toBeLessThan(1000);
    expect(await server.canLogIn(user)).toBe(true);
  });

  it("rotates the root password: the old one is refused, the new one works, the plugin still connects", async () => {
    const root = await server.createAdmin('rotating_root');
    const generated = newPassword();
    const plugin = await open({ username: root.username, password: root.password }, { ...createPluginEffects(), generatePassword: () => generated });
    const { password } = await plugin.rotateRoot([]);
    expect(password).toBe(generated);
    expect(await server.canLogIn(root)).toBe(false);
    expect(await server.canLogIn({ username: root.username, password })).toBe(true);
    const user = await createUser(plugin);
    expect(await server.canLogIn(user)).toBe(true);
  });

  it('rotates the root password with root_rotation_statements', async () => {
    const root = await server.createAdmin('rotating_root_custom');
    const plugin = await open({ username: root.username, password: root.password });
    const { password } = await plugin.rotateRoot([`ALTER ROLE "{{username}}" WITH PASSWORD '{{password}}'`]);
    expect(password).toMatch(/^[A-Za-z0-9-]{20}$/);
    expect(await server.canLogIn(root)).toBe(false);
    expect(await server.canLogIn({ username: root.username, password })).toBe(true);
  });

  it("sets a static role's password: the old one is refused, the new one works", async () => {
    const old = { username: 'static_app', password: newPassword() };
    await server.query(`CREATE ROLE static_app WITH LOGIN PASSWORD '${old.password}'`);
    const plugin = await open();
    const password = newPassword();
    await plugin.setPassword({ username: old.username, password, statements: [] });
    expect(await server.canLogIn(old)).toBe(false);
    expect(await server.canLogIn({ username: old.username, password })).toBe(true);
    const again = newPassword();
    await plugin.setPassword({ username: old.username, password: again, statements: [`ALTER ROLE "{{name}}" WITH PASSWORD '{{password}}'`] });
    expect(await server.canLogIn({ username: old.username, password: again })).toBe(true);
  });

  it('leaves no user behind when a creation statement fails, and says so on one line without the password', async () => {
    const plugin = await open();
    const before = (await server.query('SELECT rolname FROM pg_roles')).length;
    const password = newPassword();
    const error = await errorOf(() =>
      plugin.createUser({
        username: plugin.generateUsername({ displayName: 'token', roleName: 'broken' }),
        statements: [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'; GRANT SELECT ON no_such_table TO "{{name}}"; SELECT '{{password}}'::int;`],
        rollbackStatements: [],
        password,
        expiration: Date.now() + hour,
      }),
    );
    expect(error.code).toBe('database');
    expect(error.message).toBe(`postgresql-database-plugin at 127.0.0.1:${server.port}/postgres: failed to execute query: relation "no_such_table" does not exist`);
    expect((await server.query('SELECT rolname FROM pg_roles')).length).toBe(before);
    const leak = await errorOf(() =>
      plugin.createUser({ username: plugin.generateUsername({ displayName: 't', roleName: 'r' }), statements: [`CREATE ROLE "{{name}}" LOGIN PASSWORD '{{password}}'; SELECT '{{password}}'::int`], rollbackStatements: [], password, expiration: Date.now() + hour }),
    );
    expect(leak.message).toBe(`postgresql-database-plugin at 127.0.0.1:${server.port}/postgres: failed to execute query: invalid input syntax for type integer: "[password]"`);
    expect((await server.query('SELECT rolname FROM pg_roles')).length).toBe(before);
  });

  it('refuses a role without creation statements', async () => {
    const plugin = await open();
    const error = await errorOf(() => plugin.createUser({ username: plugin.generateUsername({ displayName: 't', roleName: 'r' }), statements: [' '], rollbackStatements: [], password: 'x', expiration: 0 }));
    expect(error.message).toBe('empty creation statements');
  });

  it('sends only a SCRAM verifier with password_authentication=scram-sha-256, and the user logs in', async () => {
    const plugin = await open({ password_authentication: 'scram-sha-256' });
    const user = await createUser(plugin);
    const [row] = await server.query<{ hash: string }>('SELECT rolpassword AS hash FROM pg_authid WHERE rolname = $1', [user.username]);
    expect(row?.hash).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(await server.canLogIn(user)).toBe(true);
  });

  it('reports a wrong root password on one line, naming the connection and never the password', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    for (const details of [{ password: wrong }, { connection_url: `postgresql://${server.admin.username}:${wrong}@127.0.0.1:${server.port}/postgres?sslmode=disable` }]) {
      const error = await errorOf(() => open(details));
      expect(error).toBeInstanceOf(SecretrunError);
      expect(error.code).toBe('database');
      expect(error.message).toBe(
        `postgresql-database-plugin cannot connect to 127.0.0.1:${server.port}/postgres: password authentication failed for user "${server.admin.username}"`,
      );
      expect(JSON.stringify({ message: error.message, hint: error.hint, stack: error.stack })).not.toContain(wrong);
    }
  });

  it('fails fast with the one-line error while the server is down, and works again once it is back', async () => {
    const plugin = await open({ connection_url: `postgresql://${server.admin.username}:${server.admin.password}@127.0.0.1:${server.port}/postgres?sslmode=disable` });
    await createUser(plugin);
    await server.pause();
    try {
      const started = Date.now();
      const error = await errorOf(() => createUser(plugin));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error.code).toBe('database');
      expect(error.message).toMatch(new RegExp(`^postgresql-database-plugin (cannot connect to|at) 127\\.0\\.0\\.1:${server.port}/postgres: .*`));
      expect(error.message).not.toContain('\n');
      expect(error.message).not.toContain(server.admin.password);
      const unreachable = await errorOf(() => open({ connection_url: templatedUrl() }));
      expect(unreachable.message).toMatch(/cannot connect to 127\.0\.0\.1:\d+\/postgres: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    } finally {
      await server.resume();
    }
    const user = await createUser(plugin);
    expect(await server.canLogIn(user)).toBe(true);
  });

  it('runs operations one at a time as Vault does, so concurrent GRANTs on one table all succeed', async () => {
    const plugin = await open({ max_open_connections: 2, connection_url: templatedUrl('?sslmode=disable&application_name=bounded-pool') });
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser(plugin)));
    expect(new Set(users.map((user) => user.username)).size).toBe(6);
    const [row] = await server.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'bounded-pool'");
    expect(row?.n).toBeGreaterThan(0);
    expect(row?.n).toBeLessThanOrEqual(2);
  });
});

describe('postgresql-database-plugin over TLS', () => {
  let tls: { caFile: string; otherCaFile: string };

  beforeAll(async () => {
    tls = await server.enableTls();
  });

  afterAll(async () => {
    await server.disableTls();
  });

  // Opens a plugin for `query`, creates a user with it, and says whether its session was encrypted.
  async function encrypted(name: string, query: string): Promise<boolean | undefined> {
    const plugin = await open({ connection_url: templatedUrl(`?application_name=${name}${query}`) });
    await createUser(plugin);
    return server.sessionTls(name);
  }

  it('encrypts with sslmode=require, and by default (prefer) when the server offers TLS', async () => {
    expect(await encrypted('tls-require', '&sslmode=require')).toBe(true);
    expect(await encrypted('tls-prefer', '')).toBe(true);
    expect(await encrypted('tls-disable', '&sslmode=disable')).toBe(false);
  });

  it('verify-ca checks the chain but not the name; verify-full checks both', async () => {
    expect(await encrypted('tls-verify-ca', `&sslmode=verify-ca&sslrootcert=${tls.caFile}`)).toBe(true);
    const error = await errorOf(() => open({ connection_url: templatedUrl(`?sslmode=verify-full&sslrootcert=${tls.caFile}`) }));
    expect(error.code).toBe('database');
    expect(error.message).toMatch(new RegExp(`^postgresql-database-plugin cannot connect to 127\\.0\\.0\\.1:${server.port}/postgres: Hostname/IP does not match certificate's altnames: IP: 127\\.0\\.0\\.1 is not in the cert's list:$`));
  });

  it('refuses a server whose certificate another CA signed (require with a root certificate verifies too)', async () => {
    for (const mode of ['verify-ca', 'require']) {
      const error = await errorOf(() => open({ connection_url: templatedUrl(`?sslmode=${mode}&sslrootcert=${tls.otherCaFile}`) }));
      expect(error.message).toMatch(/cannot connect to .*: (self[- ]signed certificate in certificate chain|unable to verify the first certificate|unable to get local issuer certificate)$/);
    }
  });
});
