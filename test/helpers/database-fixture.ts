import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startMariadbServer, type MariadbServer } from './mariadb-server.js';
import { startPostgresServer, type DbCredentials, type PostgresServer } from './postgres-server.js';

// A real database set up for the database engine's end-to-end tests, the same way for MariaDB
// and PostgreSQL: a table `items` holding the row 'one', the plugin and URL a connection
// configuration names, creation statements that grant reading it, and the checks tests make
// (a login, a user's existence). Tests that run on both take one of these per database.

// The databases the engine's tests run on.
export type DatabaseKind = 'mariadb' | 'postgresql';

// What a CLI run returns, as the e2e sandbox gives it (exit code and output).
export type RunCli = (args: readonly string[]) => Promise<{ stdout: string; stderr: string; exitCode: number }>;

// A running database and what the tests do with it.
export interface DatabaseFixture {
  readonly kind: DatabaseKind;
  /** MariaDB or PostgreSQL, for test titles. */
  readonly title: string;
  readonly port: number;
  readonly admin: DbCredentials;
  readonly pluginName: string;
  /** A templated connection URL (`{{username}}`, `{{password}}`). */
  readonly connectionUrl: string;
  /** How the plugin names the connection in its messages: host:port/database. */
  readonly connection: string;
  /** Creation statements for a user who may read `items`. */
  readonly creationStatements: string;
  canLogIn(credentials: DbCredentials): Promise<boolean>;
  userExists(name: string): Promise<boolean>;
  /** The dynamic users (`v-…`) there now. */
  countDynamicUsers(): Promise<number>;
  /** A user of our own who may read `items` (a static role's account). */
  createReader(credentials: DbCredentials): Promise<void>;
  /** Drops every user the tests created. */
  dropTestUsers(): Promise<void>;
  /**
   * A module for a command to run: it logs in with DB_USER and DB_PASS (DB_PORT), reads
   * `items`, writes the credentials to `creds-<user>.json` in its directory, prints
   * `login ok <user> one` and runs until SIGTERM (or, with `stay` false, exits 0).
   */
  loginScript(stay?: boolean): string;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

// The fixtures of each kind, with their server for what only that database does.
export interface MariadbFixture extends DatabaseFixture {
  readonly kind: 'mariadb';
  readonly server: MariadbServer;
}
export interface PostgresqlFixture extends DatabaseFixture {
  readonly kind: 'postgresql';
  readonly server: PostgresServer;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

// The part of the login script after it read the rows.
const loginScriptEnd = (stay: boolean): string => `writeFileSync('creds-' + user + '.json', JSON.stringify({ username: user, password }));
console.log('login ok ' + user + ' ' + rows[0].name);
${stay ? "process.on('SIGTERM', () => process.exit(0));\nsetInterval(() => undefined, 1000);" : ''}
`;
const loginScriptStart = `import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
const require = createRequire(${JSON.stringify(join(root, 'package.json'))});
const user = process.env.DB_USER, password = process.env.DB_PASS, port = Number(process.env.DB_PORT);
`;

// What a fixture takes from its server as it is.
function fromServer<S extends MariadbServer | PostgresServer>(db: S) {
  return {
    server: db,
    port: db.port,
    admin: db.admin,
    canLogIn: (credentials: DbCredentials) => db.canLogIn(credentials),
    pause: () => db.pause(),
    resume: () => db.resume(),
    stop: () => db.stop(),
  };
}

async function startMariadb(): Promise<MariadbFixture> {
  const db = await startMariadbServer();
  await db.query('CREATE DATABASE app');
  await db.query('CREATE TABLE app.items (id int PRIMARY KEY, name varchar(20))');
  await db.query("INSERT INTO app.items VALUES (1, 'one')");
  return {
    ...fromServer(db),
    kind: 'mariadb',
    title: 'MariaDB',
    pluginName: 'mysql-database-plugin',
    connectionUrl: `{{username}}:{{password}}@tcp(127.0.0.1:${db.port})/`,
    connection: `127.0.0.1:${db.port}/`,
    creationStatements: "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON app.* TO '{{name}}'@'%';",
    userExists: (name) => db.userExists(name),
    countDynamicUsers: async () => (await db.query("SELECT user FROM mysql.user WHERE user LIKE 'v-%'")).length,
    async createReader(credentials) {
      await db.query("CREATE USER ?@'%' IDENTIFIED BY ?", [credentials.username, credentials.password]);
      await db.query("GRANT SELECT ON app.* TO ?@'%'", [credentials.username]);
    },
    dropTestUsers: () => db.dropTestUsers(),
    loginScript: (stay = true) => `${loginScriptStart}const mysql = require('mysql2/promise');
const connection = await mysql.createConnection({ host: '127.0.0.1', port, user, password });
const [rows] = await connection.query('SELECT name FROM app.items');
await connection.end();
${loginScriptEnd(stay)}`,
  };
}

async function startPostgresql(): Promise<PostgresqlFixture> {
  const db = await startPostgresServer();
  await db.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await db.query("INSERT INTO items VALUES (1, 'one')");
  return {
    ...fromServer(db),
    kind: 'postgresql',
    title: 'PostgreSQL',
    pluginName: 'postgresql-database-plugin',
    connectionUrl: `postgresql://{{username}}:{{password}}@127.0.0.1:${db.port}/postgres?sslmode=disable`,
    connection: `127.0.0.1:${db.port}/postgres`,
    creationStatements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT ON items TO "{{name}}";`,
    userExists: (name) => db.roleExists(name),
    countDynamicUsers: async () => (await db.query("SELECT rolname FROM pg_roles WHERE rolname LIKE 'v-%'")).length,
    async createReader(credentials) {
      // Names and passwords are the tests' own, plain words: nothing to escape.
      await db.query(`CREATE ROLE ${credentials.username} WITH LOGIN PASSWORD '${credentials.password}'`);
      await db.query(`GRANT SELECT ON items TO ${credentials.username}`);
    },
    dropTestUsers: () => db.dropTestRoles(),
    loginScript: (stay = true) => `${loginScriptStart}const pg = require('pg');
const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
await client.connect();
const { rows } = await client.query('SELECT name FROM items');
await client.end();
${loginScriptEnd(stay)}`,
  };
}

// Starts a database of `kind` with its `items` table; stop() it in afterAll.
export function startDatabaseFixture(kind: 'mariadb'): Promise<MariadbFixture>;
export function startDatabaseFixture(kind: 'postgresql'): Promise<PostgresqlFixture>;
export function startDatabaseFixture(kind: DatabaseKind): Promise<DatabaseFixture>;
export function startDatabaseFixture(kind: DatabaseKind): Promise<DatabaseFixture> {
  return kind === 'mariadb' ? startMariadb() : startPostgresql();
}

// A database of `kind` for the enclosing describe block (or file): started before its tests,
// the users they created dropped after each (after `beforeDrop`, e.g. stopping servers that
// still rotate passwords), stopped after all. The object returned is the fixture once started.
export function useDatabaseFixture(kind: 'mariadb', options?: { beforeDrop?: () => Promise<void> }): MariadbFixture;
export function useDatabaseFixture(kind: DatabaseKind, options?: { beforeDrop?: () => Promise<void> }): DatabaseFixture;
export function useDatabaseFixture(kind: DatabaseKind, options: { beforeDrop?: () => Promise<void> } = {}): DatabaseFixture {
  let started: DatabaseFixture | undefined;
  beforeAll(async () => {
    started = await startDatabaseFixture(kind);
  }, 120_000);
  afterEach(async () => {
    await options.beforeDrop?.();
    await started?.dropTestUsers();
  });
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as DatabaseFixture, {
    get(_target, key) {
      if (started === undefined) throw new Error(`the ${kind} fixture is used before it started (only inside tests)`);
      return started[key as keyof DatabaseFixture];
    },
  });
}

function expectSuccess(result: Awaited<ReturnType<RunCli>>): void {
  expect(result.exitCode, `exit code (stderr: ${result.stderr.trim()})`).toBe(0);
}

// Writes a role `name` of the connection `my-database` that creates readers of `items`.
export async function writeReaderRole(run: RunCli, db: DatabaseFixture, name: string, ttl: { default: string; max: string }): Promise<void> {
  expectSuccess(
    await run(['write', `database/roles/${name}`, 'db_name=my-database', `creation_statements=${db.creationStatements}`, `default_ttl=${ttl.default}`, `max_ttl=${ttl.max}`]),
  );
}

// Enables the engine at database/, configures the connection `my-database` (every role
// allowed) as the database's admin, and writes the reader role `role`.
export async function configureDatabaseMount(run: RunCli, db: DatabaseFixture, ttl: { default: string; max: string }, role = 'my-role'): Promise<void> {
  expectSuccess(await run(['secrets', 'enable', 'database']));
  expectSuccess(
    await run([
      'write',
      'database/config/my-database',
      `plugin_name=${db.pluginName}`,
      `connection_url=${db.connectionUrl}`,
      `username=${db.admin.username}`,
      `password=${db.admin.password}`,
      'allowed_roles=*',
    ]),
  );
  await writeReaderRole(run, db, role, ttl);
}
