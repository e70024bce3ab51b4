// The database set-up the database benches share (bench/database.mjs, bench/database-server.mjs):
// the test helpers that start real PostgreSQL and MariaDB servers (TypeScript, bundled here
// once), each database with a table to grant on, its own CREATE USER + GRANT round trip through
// its driver on an open connection (the baseline every figure is a ratio to), and the same two
// statements as a role's creation statements. Also the few timing helpers both print with.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { median } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// Bundles the test helpers, the drivers and `extra` (`{ name: 'src/…ts' }`, a module's named
// exports to re-export) into one module and imports it.
export async function loadBenchModules(extra = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'secretrun-bench-db-'));
  const outfile = join(dir, 'modules.mjs');
  const source = (path) => JSON.stringify(join(root, path));
  try {
    await build({
      stdin: {
        contents: [
          `export { startPostgresServer } from ${source('test/helpers/postgres-server.ts')};`,
          `export { startMariadbServer } from ${source('test/helpers/mariadb-server.ts')};`,
          `export { default as pg } from 'pg';`,
          `export { default as mysql } from 'mysql2/promise';`,
          ...Object.entries(extra).map(([names, path]) => `export { ${names} } from ${source(path)};`),
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      external: ['pg-native'],
      logLevel: 'error',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const password = () => `Aa1-${randomBytes(12).toString('base64url')}`;

// PostgreSQL and MariaDB as the benches use them: `start(modules)` starts a server with a table
// to grant on and opens the direct connection; the result's `createDirect(name)` runs the
// database's own CREATE USER + GRANT for `name`, `dropDirect(name)` its REVOKE + DROP.
export const benchDatabases = [
  {
    title: 'PostgreSQL',
    plugin: 'postgresql-database-plugin',
    creation: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`,
    async start(modules) {
      const server = await modules.startPostgresServer();
      await server.query('CREATE TABLE items (id int)');
      const client = new modules.pg.Client({ host: '127.0.0.1', port: server.port, user: server.admin.username, password: server.admin.password, database: 'postgres' });
      await client.connect();
      return {
        server,
        url: `postgresql://{{username}}:{{password}}@127.0.0.1:${server.port}/postgres?sslmode=disable`,
        async createDirect(name) {
          await client.query(`CREATE ROLE "${name}" WITH LOGIN PASSWORD '${password()}' VALID UNTIL '2099-01-01 00:00:00+0000'`);
          await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${name}"`);
        },
        async dropDirect(name) {
          await client.query(`REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM "${name}"`);
          await client.query(`DROP ROLE "${name}"`);
        },
        async stop() {
          await client.end();
          await server.stop();
        },
      };
    },
  },
  {
    title: 'MariaDB',
    plugin: 'mysql-database-plugin',
    creation: "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.* TO '{{name}}'@'%';",
    async start(modules) {
      const server = await modules.startMariadbServer();
      await server.query('CREATE DATABASE app');
      const connection = await modules.mysql.createConnection({ host: '127.0.0.1', port: server.port, user: server.admin.username, password: server.admin.password });
      return {
        server,
        url: `{{username}}:{{password}}@tcp(127.0.0.1:${server.port})/`,
        async createDirect(name) {
          await connection.query(`CREATE USER '${name}'@'%' IDENTIFIED BY '${password()}'`);
          await connection.query(`GRANT SELECT ON app.* TO '${name}'@'%'`);
        },
        async dropDirect(name) {
          await connection.query(`REVOKE ALL PRIVILEGES, GRANT OPTION FROM '${name}'@'%'`);
          await connection.query(`DROP USER '${name}'@'%'`);
        },
        async stop() {
          await connection.end();
          await server.stop();
        },
      };
    },
  },
];

// A new password as the plugins' default policy makes them (for the benches' own users).
export const benchPassword = password;

// Milliseconds `action` took.
export async function time(action) {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function percentile(values, p) {
  return [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
}

// One line: a label, the median and the 95th percentile of `values` (ms).
export function renderRow(label, values, width) {
  return `  ${label.padEnd(width)} median ${median(values).toFixed(2).padStart(6)} ms   p95 ${percentile(values, 0.95).toFixed(2).padStart(6)} ms`;
}
