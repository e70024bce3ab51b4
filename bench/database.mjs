// bench/database: the database plugins' share of a dynamic credentials read. For PostgreSQL and
// MariaDB (real servers started here, as the tests start them), the time of the database's own
// CREATE USER + GRANT round trip through its driver on an open connection, beside the plugin's
// createUser (username template, pooled connection, the same two statements in one transaction
// sent in one round trip), and the same for dropping the user. Issue 12's target is a `read database/creds/<role>`
// through the server within 2x of the database's own round trip; this is the plugin's part.
// Usage: node bench/database.mjs [iterations, default 200]
// The database and this process share the machine's two cores: compare the ratios of one run,
// not absolute figures. Each iteration times both sides back to back (order alternating) after a
// warm-up, so drift on this VM affects them alike; figures are medians and 95th percentiles.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { median } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const iterations = Number(process.argv[2] ?? 200);
const warmup = 20;

// The test helpers and the plugins are TypeScript: bundle them once into a module to import.
async function loadModules() {
  const dir = mkdtempSync(join(tmpdir(), 'secretrun-bench-db-'));
  const outfile = join(dir, 'bench-database.mjs');
  const source = (path) => JSON.stringify(join(root, path));
  await build({
    stdin: {
      contents: [
        `export { startPostgresServer } from ${source('test/helpers/postgres-server.ts')};`,
        `export { startMariadbServer } from ${source('test/helpers/mariadb-server.ts')};`,
        `export { parseConnectionConfig } from ${source('src/database/connection-config.ts')};`,
        `export { openDatabasePlugin, createPluginEffects } from ${source('src/database/plugin-loader.ts')};`,
        `export { default as pg } from 'pg';`,
        `export { default as mysql } from 'mysql2/promise';`,
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
  const modules = await import(pathToFileURL(outfile).href);
  rmSync(dir, { recursive: true, force: true });
  return modules;
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const time = async (action) => {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

// Times `direct` and `plugin` back to back per iteration; returns both sample lists.
async function alternate(direct, plugin) {
  const samples = { direct: [], plugin: [] };
  for (let i = 0; i < warmup + iterations; i += 1) {
    const order = i % 2 === 0 ? ['direct', 'plugin'] : ['plugin', 'direct'];
    for (const side of order) {
      const ms = await time(side === 'direct' ? () => direct(i) : () => plugin(i));
      if (i >= warmup) samples[side].push(ms);
    }
  }
  return samples;
}

function report(title, samples) {
  const paired = median(samples.plugin.map((ms, i) => ms / samples.direct[i]));
  const row = (label, values) => `  ${label.padEnd(34)} median ${median(values).toFixed(2).padStart(6)} ms   p95 ${percentile(values, 0.95).toFixed(2).padStart(6)} ms`;
  console.log(title);
  console.log(row('database, through its driver', samples.direct));
  console.log(row('secretrun plugin', samples.plugin));
  console.log(`  ratio (median of paired ratios)    ${paired.toFixed(2)}x`);
}

const modules = await loadModules();
const { parseConnectionConfig, openDatabasePlugin, createPluginEffects, pg, mysql } = modules;
const metadata = { displayName: 'token', roleName: 'bench' };
// What the engine does for a credentials read: a generated name, then the creation.
async function createUser(plugin, creation) {
  const username = plugin.generateUsername(metadata);
  await plugin.createUser({ username, statements: creation, rollbackStatements: [], password: password(), expiration: Date.now() + 3_600_000 });
  return username;
}
const password = () => `Aa1-${randomBytes(12).toString('base64url')}`;
console.log(`bench/database: ${iterations} iterations after ${warmup} warm-up, Node ${process.version}`);

// PostgreSQL.
{
  const server = await modules.startPostgresServer();
  try {
    await server.query('CREATE TABLE items (id int)');
    const admin = server.admin;
    const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: admin.username, password: admin.password, database: 'postgres' });
    await client.connect();
    const plugin = await openDatabasePlugin(
      parseConnectionConfig('postgresql-database-plugin', {
        connection_url: `postgresql://{{username}}:{{password}}@127.0.0.1:${server.port}/postgres?sslmode=disable`,
        username: admin.username,
        password: admin.password,
      }),
      createPluginEffects(),
    );
    const creation = [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`];
    const direct = [];
    const made = [];
    const created = await alternate(
      async (i) => {
        const name = `direct-${i}`;
        await client.query(`CREATE ROLE "${name}" WITH LOGIN PASSWORD '${password()}' VALID UNTIL '2099-01-01 00:00:00+0000'`);
        await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${name}"`);
        direct.push(name);
      },
      async () => made.push(await createUser(plugin, creation)),
    );
    report('PostgreSQL: CREATE ROLE + GRANT', created);
    const dropped = await alternate(
      async (i) => {
        const name = direct[i];
        await client.query(`REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM "${name}"`);
        await client.query(`DROP ROLE "${name}"`);
      },
      async (i) => plugin.revokeUser({ username: made[i], statements: [] }),
    );
    report('PostgreSQL: revoke + DROP ROLE (the plugin runs Vault\'s default revocation)', dropped);
    await plugin.close();
    await client.end();
  } finally {
    await server.stop();
  }
}

// MariaDB.
{
  const server = await modules.startMariadbServer();
  try {
    await server.query('CREATE DATABASE app');
    const admin = server.admin;
    const connection = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: admin.username, password: admin.password });
    const plugin = await openDatabasePlugin(
      parseConnectionConfig('mysql-database-plugin', {
        connection_url: `{{username}}:{{password}}@tcp(127.0.0.1:${server.port})/`,
        username: admin.username,
        password: admin.password,
      }),
      createPluginEffects(),
    );
    const creation = ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.* TO '{{name}}'@'%';"];
    const direct = [];
    const made = [];
    const created = await alternate(
      async (i) => {
        const name = `direct-${i}`;
        await connection.query(`CREATE USER '${name}'@'%' IDENTIFIED BY '${password()}'`);
        await connection.query(`GRANT SELECT ON app.* TO '${name}'@'%'`);
        direct.push(name);
      },
      async () => made.push(await createUser(plugin, creation)),
    );
    report('MariaDB: CREATE USER + GRANT', created);
    const dropped = await alternate(
      async (i) => {
        await connection.query(`REVOKE ALL PRIVILEGES, GRANT OPTION FROM '${direct[i]}'@'%'`);
        await connection.query(`DROP USER '${direct[i]}'@'%'`);
      },
      async (i) => plugin.revokeUser({ username: made[i], statements: [] }),
    );
    report("MariaDB: REVOKE + DROP USER (the plugin runs Vault's default revocation)", dropped);
    await plugin.close();
    await connection.end();
  } finally {
    await server.stop();
  }
}
