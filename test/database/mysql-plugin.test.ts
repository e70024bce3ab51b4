import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConnectionConfig } from '../../src/database/connection-config.js';
import type { DatabasePlugin, PluginEffects } from '../../src/database/database-plugin.js';
import { createPluginEffects, openDatabasePlugin } from '../../src/database/plugin-loader.js';
import { errorOf } from '../kv/kv-harness.js';
import { startMariadbServer, type MariadbServer } from '../helpers/mariadb-server.js';
import type { DbCredentials } from '../helpers/postgres-server.js';

// mysql-database-plugin against a real MariaDB started for this file.

let server: MariadbServer;
const opened: DatabasePlugin[] = [];

beforeAll(async () => {
  server = await startMariadbServer();
  await server.query('CREATE DATABASE app');
  await server.query('CREATE TABLE app.items (id int PRIMARY KEY, name varchar(20))');
  await server.query("INSERT INTO app.items VALUES (1, 'one')");
});

afterEach(async () => {
  for (const plugin of opened.splice(0)) await plugin.close();
  await server.dropTestUsers();
});

afterAll(async () => {
  await server?.stop();
});

const templatedUrl = (query = '') => `{{username}}:{{password}}@tcp(127.0.0.1:${server.port})/${query}`;

async function open(details: Record<string, unknown> = {}, effects: PluginEffects = createPluginEffects(), plugin = 'mysql-database-plugin'): Promise<DatabasePlugin> {
  const config = parseConnectionConfig(plugin, { connection_url: templatedUrl(), username: server.admin.username, password: server.admin.password, ...details });
  const opened_ = await openDatabasePlugin(config, effects);
  opened.push(opened_);
  return opened_;
}

const creation = ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';", "GRANT SELECT ON app.* TO '{{name}}'@'%';"];
const hour = 3_600_000;
const newPassword = (): string => `A1-${randomBytes(12).toString('base64url')}`;

async function createUser(plugin: DatabasePlugin, statements = creation, rollbackStatements: string[] = []): Promise<DbCredentials> {
  const password = newPassword();
  const username = plugin.generateUsername({ displayName: 'token', roleName: 'my-role' });
  await plugin.createUser({ username, statements, rollbackStatements, password, expiration: Date.now() + hour });
  return { username, password };
}

describe('mysql-database-plugin on MariaDB', () => {
  it("verifies its connection, the guide's DSN with a literal password included", async () => {
    const plugin = await open();
    await plugin.verifyConnection();
    const literal = await open({ connection_url: `${server.admin.username}:${server.admin.password}@tcp(127.0.0.1:${server.port})/` });
    await literal.verifyConnection();
    expect(plugin.connection).toBe(`127.0.0.1:${server.port}/`);
  });

  it('creates a user who can log in and do exactly what the statements granted', async () => {
    const plugin = await open();
    const user = await createUser(plugin);
    expect(user.username).toMatch(/^v-token-my-role-[0-9A-Za-z]{16}$/);
    await server.asUser(user, async (connection) => {
      const [rows] = await connection.query('SELECT name FROM app.items');
      expect(rows).toEqual([{ name: 'one' }]);
      await expect(connection.query("INSERT INTO app.items VALUES (2, 'two')")).rejects.toMatchObject({ errno: 1142 });
      await expect(connection.query('CREATE DATABASE other')).rejects.toMatchObject({ errno: 1044 });
    });
  });

  it('makes 16-character names with the legacy plugin', async () => {
    const plugin = await open({}, createPluginEffects(), 'mysql-legacy-database-plugin');
    const user = await createUser(plugin);
    expect(user.username).toMatch(/^v-my-r-[0-9A-Za-z]{9}$/);
    expect(await server.canLogIn(user)).toBe(true);
  });

  it('revokes with the default drop: the user is gone and cannot log in', async () => {
    const plugin = await open();
    const user = await createUser(plugin);
    expect(await server.canLogIn(user)).toBe(true);
    await plugin.revokeUser({ username: user.username, statements: [] });
    expect(await server.userExists(user.username)).toBe(false);
    expect(await server.canLogIn(user)).toBe(false);
    // Revoking again is not an error: the user is already gone.
    await plugin.revokeUser({ username: user.username, statements: [] });
  });

  it("revokes with the role's statements", async () => {
    const plugin = await open();
    const user = await createUser(plugin);
    await plugin.revokeUser({ username: user.username, statements: ["DROP USER '{{name}}'@'%'"] });
    expect(await server.canLogIn(user)).toBe(false);
  });

  it('renews without touching the user (MySQL users have no expiry)', async () => {
    const plugin = await open();
    const user = await createUser(plugin);
    await plugin.renewUser({ username: user.username, statements: [], expiration: Date.now() + 2 * hour });
    expect(await server.canLogIn(user)).toBe(true);
  });

  it('rotates the root password: the old one is refused, the new one works, the plugin still connects', async () => {
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

  it("sets a static role's password: the old one is refused, the new one works", async () => {
    const old = { username: 'static_app', password: newPassword() };
    await server.query("CREATE USER 'static_app'@'%' IDENTIFIED BY ?", [old.password]);
    const plugin = await open();
    const password = newPassword();
    await plugin.setPassword({ username: old.username, password, statements: [] });
    expect(await server.canLogIn(old)).toBe(false);
    expect(await server.canLogIn({ username: old.username, password })).toBe(true);
    const again = newPassword();
    await plugin.setPassword({ username: old.username, password: again, statements: ["SET PASSWORD FOR '{{name}}'@'%' = PASSWORD('{{password}}')"] });
    expect(await server.canLogIn({ username: old.username, password: again })).toBe(true);
  });

  it('drops the half-created user when a later creation statement fails (MySQL commits CREATE USER at once)', async () => {
    const plugin = await open();
    const password = newPassword();
    const error = await errorOf(() =>
      plugin.createUser({
        username: plugin.generateUsername({ displayName: 'token', roleName: 'broken' }),
        statements: ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.no_such_table TO '{{name}}'@'%'"],
        rollbackStatements: [],
        password,
        expiration: Date.now() + hour,
      }),
    );
    expect(error.code).toBe('database');
    expect(error.message).toBe(`mysql-database-plugin at 127.0.0.1:${server.port}/: failed to execute query: Table 'app.no_such_table' doesn't exist`);
    expect(await server.query("SELECT User FROM mysql.user WHERE User LIKE 'v-token-broken%'")).toEqual([]);
  });

  it("runs the role's rollback statements instead, when it has some", async () => {
    const plugin = await open();
    await server.query('CREATE TABLE app.audit (name varchar(80))');
    try {
      await errorOf(() =>
        createUser(plugin, ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.nope TO '{{name}}'@'%'"], [
          "DROP USER '{{name}}'@'%'; INSERT INTO app.audit VALUES ('{{name}}')",
        ]),
      );
      const [row] = await server.query<{ name: string }>('SELECT name FROM app.audit');
      expect(row?.name).toMatch(/^v-token-my-role-/);
      expect(await server.userExists(row?.name ?? '')).toBe(false);
    } finally {
      await server.query('DROP TABLE app.audit');
    }
  });

  it('says so when removing a half-created user fails too, without any password', async () => {
    const plugin = await open();
    const password = newPassword();
    const error = await errorOf(() =>
      plugin.createUser({
        username: plugin.generateUsername({ displayName: 'token', roleName: 'stuck' }),
        statements: ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.nope TO '{{name}}'@'%'"],
        rollbackStatements: ["DROP USER '{{name}}'@'nowhere'"],
        password,
        expiration: Date.now() + hour,
      }),
    );
    expect(error.message).toMatch(/^mysql-database-plugin at .*: failed to execute query: Table 'app\.nope' doesn't exist; removing the partly created user v-token-stuck-\w+ also failed: Operation DROP USER failed for/);
    expect(error.message).not.toContain(password);
  });

  it('replaces the password in what MariaDB echoes back', async () => {
    const plugin = await open();
    const password = newPassword();
    const error = await errorOf(() =>
      plugin.createUser({ username: plugin.generateUsername({ displayName: 't', roleName: 'r' }), statements: ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}' garbage"], rollbackStatements: [], password, expiration: 0 }),
    );
    // As for the statement sent alone: MariaDB's echo of the rest of the batch is cut.
    expect(error.message).toContain("near 'garbage' at line 1");
    expect(error.message).not.toContain(password);
    const echoed = await errorOf(() =>
      plugin.createUser({ username: plugin.generateUsername({ displayName: 't', roleName: 'r' }), statements: ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}' ,,"], rollbackStatements: [], password, expiration: 0 }),
    );
    expect(echoed.message).not.toContain(password);
  });

  it('sends the statements one by one when a value could reach beyond its quotes (a name with a slash)', async () => {
    const plugin = await open({ username_template: '{{ .RoleName }}/{{ random 8 }}' });
    const user = await createUser(plugin);
    expect(user.username).toMatch(/^my-role\/\w{8}$/);
    expect(await server.canLogIn(user)).toBe(true);
    const failed = await errorOf(() => createUser(plugin, ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.nope TO '{{name}}'@'%'"]));
    expect(failed.message).toMatch(/failed to execute query: Table 'app\.nope' doesn't exist$/);
    expect(await server.query("SELECT User FROM mysql.user WHERE User LIKE 'my-role/%'")).toHaveLength(1);
  });

  it('says when the statements are on their way, while the database is still at them, in one round trip or one by one', async () => {
    // The statements first sleep, so that a look from another connection when onSent fires
    // finds no user yet: onSent comes once they are sent, not once they are done.
    const slow = ['DO SLEEP(0.5);', ...creation];
    for (const details of [{}, { username_template: '{{ .RoleName }}/{{ random 8 }}' }]) {
      const plugin = await open(details);
      const username = plugin.generateUsername({ displayName: 'token', roleName: 'my-role' });
      let look: Promise<unknown[]> | undefined;
      let calls = 0;
      const onSent = (): void => {
        calls += 1;
        look = server.query('SELECT User FROM mysql.user WHERE User = ?', [username]);
      };
      await plugin.createUser({ username, statements: slow, rollbackStatements: [], password: newPassword(), expiration: Date.now() + hour, onSent });
      expect(calls).toBe(1);
      expect(await look).toEqual([]);
      expect(await server.query('SELECT User FROM mysql.user WHERE User = ?', [username])).toHaveLength(1);
    }
  });

  it('sets the DSN parameters that are session variables on each connection', async () => {
    const plugin = await open({ connection_url: templatedUrl('?sql_mode=%27ANSI_QUOTES%27') });
    // With ANSI_QUOTES, "app" is an identifier; without it, a string and a syntax error.
    const user = await createUser(plugin, ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON \"app\".* TO '{{name}}'@'%'"]);
    await server.asUser(user, async (connection) => expect((await connection.query('SELECT id FROM app.items'))[0]).toEqual([{ id: 1 }]));
  });

  it('reports a wrong root password on one line, naming the connection and never the password', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    for (const details of [{ password: wrong }, { connection_url: `${server.admin.username}:${wrong}@tcp(127.0.0.1:${server.port})/app` }]) {
      const error = await errorOf(() => open(details));
      expect(error.code).toBe('database');
      expect(error.message).toMatch(new RegExp(`^mysql-database-plugin cannot connect to 127\\.0\\.0\\.1:${server.port}/(app)?: Access denied for user 'secretrun_admin'@'127\\.0\\.0\\.1' \\(using password: YES\\)$`));
      expect(JSON.stringify({ message: error.message, hint: error.hint, stack: error.stack })).not.toContain(wrong);
    }
  });

  it('fails fast with the one-line error while the server is down, and works again once it is back', async () => {
    const plugin = await open({ connection_url: `${server.admin.username}:${server.admin.password}@tcp(127.0.0.1:${server.port})/` });
    await createUser(plugin);
    await server.pause();
    try {
      const started = Date.now();
      const error = await errorOf(() => createUser(plugin));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error.code).toBe('database');
      expect(error.message).toMatch(new RegExp(`^mysql-database-plugin (cannot connect to|at) 127\\.0\\.0\\.1:${server.port}/: .+`));
      expect(error.message).not.toContain('\n');
      expect(error.message).not.toContain(server.admin.password);
    } finally {
      await server.resume();
    }
    const user = await createUser(plugin);
    expect(await server.canLogIn(user)).toBe(true);
  });

  it('runs operations one at a time on at most max_open_connections pooled connections, so concurrent reads all get working users', async () => {
    const admin = await server.createAdmin('pool_admin');
    const plugin = await open({ max_open_connections: 2, username: admin.username, password: admin.password });
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser(plugin)));
    for (const user of users) expect(await server.canLogIn(user)).toBe(true);
    await Promise.all(Array.from({ length: 6 }, () => createUser(plugin)));
    const [row] = await server.query<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?', [admin.username]);
    expect(Number(row?.n)).toBeGreaterThan(0);
    expect(Number(row?.n)).toBeLessThanOrEqual(2);
  });
});
