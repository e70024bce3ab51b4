import { describe, expect, it } from 'vitest';
import { checkRootRotation, parseConnectionConfig } from '../../src/database/connection-config.js';
import { buildConnectionTarget, describeConnection, redactConnectionUrl } from '../../src/database/connection-target.js';
import { errorOf } from '../kv/kv-harness.js';

const secret = 'Sup3r;s3cret @/:%?&$& \'"';

describe('parseConnectionConfig', () => {
  it("keeps Vault's fields with Vault's defaults, decoding weakly", () => {
    const config = parseConnectionConfig('mysql-database-plugin', { connection_url: '{{username}}:{{password}}@tcp(db:3306)/', username: 'root', password: 'pw' });
    expect(config).toMatchObject({
      connectionUrl: '{{username}}:{{password}}@tcp(db:3306)/',
      username: 'root',
      password: 'pw',
      verifyConnection: true,
      maxOpenConnections: 4,
      maxIdleConnections: 4,
      maxConnectionLifetimeMs: 0,
      usernameTemplate: undefined,
      passwordPolicy: undefined,
      disableEscaping: false,
      passwordAuthentication: 'password',
    });
    expect(config.plugin.name).toBe('mysql-database-plugin');
    const weak = parseConnectionConfig('postgresql-database-plugin', {
      connection_url: 'postgresql://db/app',
      verify_connection: 'false',
      max_open_connections: '10',
      max_idle_connections: 20,
      max_connection_lifetime: '1m30s',
      username_template: '{{.RoleName}}',
      password_policy: 'strong',
      password_authentication: 'scram-sha-256',
    });
    expect(weak).toMatchObject({ verifyConnection: false, maxOpenConnections: 10, maxIdleConnections: 10, maxConnectionLifetimeMs: 90_000, usernameTemplate: '{{.RoleName}}', passwordPolicy: 'strong', passwordAuthentication: 'scram-sha-256' });
    expect(parseConnectionConfig('postgresql-database-plugin', { connection_url: 'x=y', max_connection_lifetime: 5 }).maxConnectionLifetimeMs).toBe(5000);
  });

  it("refuses what Vault refuses, in Vault's words", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['', { connection_url: 'x' }, 'empty plugin name'],
      ['oracle-database-plugin', { connection_url: 'x' }, 'error creating database object: unknown database plugin "oracle-database-plugin"'],
      ['mysql-database-plugin', {}, 'connection_url cannot be empty'],
      ['mysql-database-plugin', { connection_url: 'x', password: '{{password}}' }, 'username and/or password cannot contain the template variables'],
      ['mysql-database-plugin', { connection_url: 'x', max_open_connections: 'many' }, 'max_open_connections: expected an integer, got "many"'],
      ['mysql-database-plugin', { connection_url: 'x', max_connection_lifetime: 'soon' }, 'invalid max_connection_lifetime: time: invalid duration "soon"'],
      ['postgresql-database-plugin', { connection_url: 'x', password_authentication: 'md5' }, "'md5' is not a valid password authentication type"],
      ['mysql-database-plugin', { connection_url: 'x', password_authentication: 'scram-sha-256' }, 'password_authentication is only supported by postgresql-database-plugin'],
    ];
    for (const [plugin, details, message] of cases) expect((await errorOf(() => parseConnectionConfig(plugin, details))).message).toBe(message);
  });

  it('never quotes a password or a connection URL of the wrong type', async () => {
    const error = await errorOf(() => parseConnectionConfig('mysql-database-plugin', { connection_url: 'x', password: { value: secret } }));
    expect(error.message).toBe('password: expected a string');
    const url = await errorOf(() => parseConnectionConfig('mysql-database-plugin', { connection_url: [`root:${secret}@tcp(h)/`] }));
    expect(url.message).toBe('connection_url: expected a string');
  });
});

describe('buildConnectionTarget', () => {
  it('places username and password into a MySQL DSN as they are, whatever they hold', () => {
    const config = parseConnectionConfig('mysql-database-plugin', { connection_url: '{{username}}:{{password}}@tcp(db.internal:3307)/app', username: 'ro ot', password: secret });
    const target = buildConnectionTarget(config);
    expect(target).toMatchObject({ kind: 'mysql', host: 'db.internal', port: 3307, user: 'ro ot', password: secret, database: 'app' });
    expect(describeConnection(target)).toBe('db.internal:3307/app');
  });

  it('places them into both PostgreSQL forms as they are', () => {
    for (const url of ['postgresql://{{username}}:{{password}}@127.0.0.1:5433/app?sslmode=disable', 'host=127.0.0.1 port=5433 user={{username}} password={{password}} dbname=app sslmode=disable']) {
      const target = buildConnectionTarget(parseConnectionConfig('postgresql-database-plugin', { connection_url: url, username: 'vault', password: secret }));
      expect(target).toMatchObject({ kind: 'postgresql', host: '127.0.0.1', port: 5433, user: 'vault', password: secret, database: 'app', tls: { mode: 'disable' } });
      expect(describeConnection(target)).toBe('127.0.0.1:5433/app');
    }
  });

  it('with disable_escaping pastes the values into the text before parsing, as Vault does', () => {
    const target = buildConnectionTarget(
      parseConnectionConfig('postgresql-database-plugin', { connection_url: 'postgresql://{{username}}:{{password}}@h/db', username: 'u', password: 'p%40ss', disable_escaping: true }),
    );
    expect(target).toMatchObject({ user: 'u', password: 'p@ss' });
  });

  it("maps PostgreSQL's sslmode, timeout, application name and runtime parameters", () => {
    const target = (query: string) => buildConnectionTarget(parseConnectionConfig('postgresql-database-plugin', { connection_url: `postgresql://u:p@h/db${query}` }));
    expect(target('')).toMatchObject({ tls: { mode: 'prefer' }, applicationName: 'secretrun', options: undefined, connectTimeoutMs: undefined, port: 5432 });
    expect(target('?sslmode=require&sslrootcert=/ca.pem')).toMatchObject({ tls: { mode: 'verify-ca', rootCertFile: '/ca.pem' } });
    expect(target('?sslmode=verify-full&connect_timeout=3&application_name=app&search_path=a%20b&keepalives=1')).toMatchObject({
      tls: { mode: 'verify-full' },
      connectTimeoutMs: 3000,
      applicationName: 'app',
      options: '-c search_path=a\\ b',
    });
  });

  it('refuses an unknown sslmode and unsupported parameters', async () => {
    const config = (query: string) => parseConnectionConfig('postgresql-database-plugin', { connection_url: `postgresql://u:p@h/db${query}` });
    expect((await errorOf(() => buildConnectionTarget(config('?sslmode=sometimes')))).message).toBe(
      'connection_url: sslmode=sometimes is not one of disable, allow, prefer, require, verify-ca, verify-full',
    );
    expect((await errorOf(() => buildConnectionTarget(config('?service=x')))).message).toBe('connection_url: the service parameter is not supported');
  });
});

describe('redactConnectionUrl', () => {
  it('shows templates and hides literal passwords (Vault shows a MySQL DSN as written)', () => {
    const read = (plugin: string, url: string) => redactConnectionUrl(parseConnectionConfig(plugin, { connection_url: url }));
    expect(read('mysql-database-plugin', 'root:password@tcp(localhost:3306)/')).toBe('root:xxxxx@tcp(localhost:3306)/');
    expect(read('mysql-database-plugin', '{{username}}:{{password}}@tcp(localhost:3306)/')).toBe('{{username}}:{{password}}@tcp(localhost:3306)/');
    expect(read('postgresql-database-plugin', 'postgresql://u:pw@h:5432/db')).toBe('postgresql://u:xxxxx@h:5432/db');
    expect(read('postgresql-database-plugin', 'host=h password=pw')).toBe('host=h password=xxxxx');
  });
});

describe('checkRootRotation', () => {
  const config = (details: Record<string, unknown>) => parseConnectionConfig('postgresql-database-plugin', { connection_url: 'postgresql://{{username}}:{{password}}@h/db', ...details });

  it('names the user to rotate', () => {
    expect(checkRootRotation(config({ username: 'vault', password: 'pw' }))).toBe('vault');
  });

  it("refuses without a username, a password, or a templated URL (the connection would break)", async () => {
    expect((await errorOf(() => checkRootRotation(config({ password: 'pw' })))).message).toBe('unable to rotate root credentials: no username in configuration');
    expect((await errorOf(() => checkRootRotation(config({ username: 'vault' })))).message).toBe('unable to rotate root credentials: no password in configuration');
    const literal = parseConnectionConfig('mysql-database-plugin', { connection_url: 'vault:pw@tcp(h)/', username: 'vault', password: 'pw' });
    expect((await errorOf(() => checkRootRotation(literal))).message).toBe('unable to rotate root credentials: connection_url does not use {{password}}');
  });
});
