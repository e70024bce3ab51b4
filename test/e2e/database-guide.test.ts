import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariadbServer, type MariadbServer } from '../helpers/mariadb-server.js';
import { createSandbox, expectExit, expectNoSecrets } from './run-cli.js';

// The guide's "Automated Secret Rotation" section verbatim with `secretrun` for `vault`, against
// a real MariaDB on a free port in place of localhost:3306, and what comes after it in Vault's
// docs: a role, credentials that log in, and their lease.

let server: MariadbServer;

beforeAll(async () => {
  server = await startMariadbServer();
  // The guide's DSN logs in as root with the password "password".
  await server.query("CREATE USER 'root'@'%' IDENTIFIED BY 'password'");
  await server.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION");
  await server.query('CREATE DATABASE app');
  await server.query('CREATE TABLE app.items (id int PRIMARY KEY, name varchar(20))');
  await server.query("INSERT INTO app.items VALUES (1, 'one')");
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('the guide: database dynamic secrets', () => {
  it('enables the engine, writes the connection, and reads working credentials', async () => {
    const sandbox = createSandbox();
    const enabled = expectExit(await sandbox.run(['secrets', 'enable', 'database']), 0);
    expect(enabled.stdout).toBe('Success! Enabled the database secrets engine at: database/\n');

    const written = expectExit(
      await sandbox.run([
        'write',
        'database/config/my-database',
        'plugin_name=mysql-database-plugin',
        `connection_url=root:password@tcp(127.0.0.1:${server.port})/`,
        'allowed_roles=my-role',
      ]),
      0,
    );
    // Vault's warning about a literal password in the URL.
    expect(written.stderr).toContain('Password found in connection_url');

    const config = expectExit(await sandbox.run(['read', '-format=json', 'database/config/my-database']), 0);
    const data = JSON.parse(config.stdout).data;
    expect(data.plugin_name).toBe('mysql-database-plugin');
    expect(data.allowed_roles).toEqual(['my-role']);
    expect(data.connection_details.connection_url).toBe(`root:xxxxx@tcp(127.0.0.1:${server.port})/`);
    expectNoSecrets(config.stdout, ['password@'], 'config read');

    expectExit(
      await sandbox.run([
        'write',
        'database/roles/my-role',
        'db_name=my-database',
        "creation_statements=CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';GRANT SELECT ON app.* TO '{{name}}'@'%';",
        'default_ttl=1h',
        'max_ttl=24h',
      ]),
      0,
    );
    expect(expectExit(await sandbox.run(['list', 'database/roles']), 0).stdout).toBe('Keys\n----\nmy-role\n');
    expect(expectExit(await sandbox.run(['list', 'database/config']), 0).stdout).toBe('Keys\n----\nmy-database\n');
    const role = expectExit(await sandbox.run(['read', 'database/roles/my-role']), 0).stdout;
    expect(role).toMatch(/^db_name +my-database$/m);
    expect(role).toMatch(/^default_ttl +1h$/m);
    expect(role).toMatch(/^max_ttl +24h$/m);
    expect(role).toMatch(/^revocation_statements +\[\]$/m);
    const creds = expectExit(await sandbox.run(['read', 'database/creds/my-role']), 0);
    const lines = creds.stdout.split('\n');
    expect(lines[0]).toMatch(/^Key +Value$/);
    expect(lines[2]).toMatch(/^lease_id +database\/creds\/my-role\/[A-Za-z0-9]{24}$/);
    expect(lines[3]).toMatch(/^lease_duration +1h$/);
    expect(lines[4]).toMatch(/^lease_renewable +true$/);
    const password = /^password +(\S+)$/.exec(lines[5] ?? '')?.[1] ?? '';
    const username = /^username +(\S+)$/.exec(lines[6] ?? '')?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9-]{20}$/);
    expect(username).toMatch(/^v-root-my-role-/);
    const rows = await server.asUser({ username, password }, async (connection) => (await connection.query('SELECT name FROM app.items'))[0]);
    expect(rows).toEqual([{ name: 'one' }]);
    await server.dropTestUsers();
  });
});
