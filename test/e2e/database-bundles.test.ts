import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConnectionConfig } from '../../src/database/connection-config.js';
import type { createMysqlPlugin } from '../../src/database/mysql-plugin.js';
import type { DatabasePlugin } from '../../src/database/database-plugin.js';
import { createPluginEffects } from '../../src/database/plugin-loader.js';
import type { createPostgresqlPlugin } from '../../src/database/postgresql-plugin.js';
import { isSecretrunError } from '../../src/errors.js';
import { startMariadbServer, type MariadbServer } from '../helpers/mariadb-server.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { cliEntry } from './run-cli.js';

// The built plugins (dist/lazy/*-plugin.cjs) carry their drivers: a copy of dist/ outside the
// repository, with no node_modules beside it, creates users in real databases.

let postgres: PostgresServer;
let mariadb: MariadbServer;

beforeAll(async () => {
  [postgres, mariadb] = await Promise.all([startPostgresServer(), startMariadbServer()]);
});

afterAll(async () => {
  await Promise.all([postgres?.stop(), mariadb?.stop()]);
});

const lazyBundle = (name: string): unknown => createRequire(import.meta.url)(join(dirname(cliEntry()), '..', 'dist', 'lazy', `${name}.cjs`));

const request = (plugin: DatabasePlugin, statements: string[]) => ({ username: plugin.generateUsername({ displayName: 'token', roleName: 'bundle' }), statements, rollbackStatements: [], password: 'Bundled-pw-123', expiration: Date.now() + 60_000 });

describe('the database plugin bundles', () => {
  it('postgresql-plugin.cjs creates a user that logs in, and fails with our error type', async () => {
    const { createPostgresqlPlugin: create } = lazyBundle('postgresql-plugin') as { createPostgresqlPlugin: typeof createPostgresqlPlugin };
    const config = parseConnectionConfig('postgresql-database-plugin', {
      connection_url: `postgresql://{{username}}:{{password}}@127.0.0.1:${postgres.port}/postgres?sslmode=disable`,
      username: postgres.admin.username,
      password: postgres.admin.password,
    });
    const plugin = create(config, createPluginEffects());
    try {
      const created = request(plugin, [`CREATE ROLE "{{name}}" LOGIN PASSWORD '{{password}}'`]);
      await plugin.createUser(created);
      const { username } = created;
      expect(await postgres.canLogIn({ username, password: 'Bundled-pw-123' })).toBe(true);
      const error: unknown = await plugin.createUser(request(plugin, ['SELEC 1'])).catch((caught: unknown) => caught);
      expect(isSecretrunError(error) && error.code).toBe('database');
    } finally {
      await plugin.close();
      await postgres.dropTestRoles();
    }
  });

  it('mysql-plugin.cjs creates a user that logs in', async () => {
    const { createMysqlPlugin: create } = lazyBundle('mysql-plugin') as { createMysqlPlugin: typeof createMysqlPlugin };
    const config = parseConnectionConfig('mysql-database-plugin', {
      connection_url: `{{username}}:{{password}}@tcp(127.0.0.1:${mariadb.port})/`,
      username: mariadb.admin.username,
      password: mariadb.admin.password,
    });
    const plugin = create(config, createPluginEffects());
    try {
      const created = request(plugin, ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'"]);
      await plugin.createUser(created);
      const { username } = created;
      expect(await mariadb.canLogIn({ username, password: 'Bundled-pw-123' })).toBe(true);
    } finally {
      await plugin.close();
      await mariadb.dropTestUsers();
    }
  });
});
