import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { findFreePort, makeServerDir, runAs, serverAccount, startServerProcess, type ServerProcess } from './server-process.js';
import { waitFor } from './wait-for.js';

// A real PostgreSQL server for a test file: Debian's postgresql package (initdb and postgres
// from /usr/lib/postgresql/<version>/bin), a cluster in a temp dir on a free port, run as the
// package's `postgres` account when the tests run as root. TCP logins need a password
// (scram-sha-256); the helper itself uses the bootstrap superuser over the Unix socket in the
// temp dir (trust), so it keeps working whatever a test does to the admin's password.

// A login.
export interface DbCredentials {
  username: string;
  password: string;
}

// A running server and what tests do with it.
export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** A superuser with a password, for connection configurations. */
  readonly admin: DbCredentials;
  /** How long initdb and the first start took, in ms. */
  readonly startupMs: number;
  /** Runs SQL as the bootstrap superuser over the Unix socket. */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Logs in over TCP with a password and runs `work` as that user. */
  asUser<T>(credentials: DbCredentials, work: (client: pg.Client) => Promise<T>): Promise<T>;
  /** Whether a password login over TCP succeeds (false when PostgreSQL refuses the credentials). */
  canLogIn(credentials: DbCredentials): Promise<boolean>;
  roleExists(name: string): Promise<boolean>;
  /** Creates another superuser with a random password (for tests that rotate it). */
  createAdmin(name: string): Promise<DbCredentials>;
  /** Drops every role not there after start-up. */
  dropTestRoles(): Promise<void>;
  /**
   * Turns TLS on with a certificate for the name `db.invalid` only (not the address tests
   * connect to), signed by a fresh CA whose certificate is returned, with an unrelated CA's.
   */
  enableTls(): Promise<{ caFile: string; otherCaFile: string }>;
  disableTls(): Promise<void>;
  /** Whether the sessions of an application_name are encrypted (undefined: no session). */
  sessionTls(applicationName: string): Promise<boolean | undefined>;
  /** Stops the server, keeping its data (the port stays reserved for resume). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (.ci/run does it)');
  return join(root, newest, 'bin');
}

const password = (): string => randomBytes(18).toString('base64url');

// Starts a fresh server; stop() it in afterAll.
export async function startPostgresServer(): Promise<PostgresServer> {
  const started = Date.now();
  const bin = findBinDir();
  const account = serverAccount('postgres');
  const dir = makeServerDir('secretrun-pg-', account);
  const data = join(dir, 'data');
  try {
    runAs(account, join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-instructions', '--no-sync'], dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = await findFreePort();
  const settings = ['listen_addresses=127.0.0.1', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=60', `unix_socket_directories=${dir}`];
  let server: ServerProcess | undefined;
  const superuser = new pg.Pool({ host: dir, port, user: 'postgres', database: 'postgres', max: 2, allowExitOnIdle: true });
  superuser.on('error', () => undefined);

  async function start(): Promise<void> {
    const running = startServerProcess(account, join(bin, 'postgres'), ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], dir, join(dir, 'postgres.log'), 'SIGINT');
    server = running;
    let exited = false;
    void running.exited.then(() => (exited = true));
    await waitFor('PostgreSQL to accept connections', async () => {
      if (exited) throw new Error(`postgres exited during start-up:\n${running.log()}`);
      return superuser.query('SELECT 1').then(
        () => true,
        () => false,
      );
    });
  }

  async function setUp() {
    const admin = { username: 'secretrun_admin', password: password() };
    await superuser.query(`CREATE ROLE ${admin.username} WITH LOGIN SUPERUSER PASSWORD '${admin.password}'`);
    const baseline = new Set((await superuser.query<{ rolname: string }>('SELECT rolname FROM pg_roles')).rows.map((row) => row.rolname));
    return { admin, baseline };
  }

  // A server that fails to start or set up is not left behind.
  const abandon = async (): Promise<void> => {
    await superuser.end().catch(() => undefined);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const { admin, baseline } = await start()
    .then(setUp)
    .catch(async (error: unknown) => {
      await abandon();
      throw error;
    });
  const startupMs = Date.now() - started;

  const connectAs = (credentials: DbCredentials): pg.Client =>
    new pg.Client({ host: '127.0.0.1', port, user: credentials.username, password: credentials.password, database: 'postgres', connectionTimeoutMillis: 5000 });

  return {
    host: '127.0.0.1',
    port,
    database: 'postgres',
    admin,
    startupMs,
    query: async (sql, params) => (await superuser.query(sql, params)).rows,
    async asUser(credentials, work) {
      const client = connectAs(credentials);
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    },
    async canLogIn(credentials) {
      const client = connectAs(credentials);
      try {
        await client.connect();
        await client.end();
        return true;
      } catch (error) {
        // 28P01: invalid_password, which PostgreSQL also answers for a missing or expired role.
        if ((error as { code?: string }).code === '28P01') return false;
        throw error;
      }
    },
    async roleExists(name) {
      return (await superuser.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount === 1;
    },
    async createAdmin(name) {
      const credentials = { username: name, password: password() };
      await superuser.query(`CREATE ROLE ${name} WITH LOGIN SUPERUSER PASSWORD '${credentials.password}'`);
      baseline.add(name);
      return credentials;
    },
    async dropTestRoles() {
      const roles = (await superuser.query<{ rolname: string }>('SELECT rolname FROM pg_roles')).rows.map((row) => row.rolname);
      for (const role of roles.filter((name) => !baseline.has(name))) {
        const quoted = `"${role.replaceAll('"', '""')}"`;
        await superuser.query(`DROP OWNED BY ${quoted}`);
        await superuser.query(`DROP ROLE ${quoted}`);
      }
    },
    async enableTls() {
      const tls = join(dir, 'tls');
      const openssl = (...args: string[]): void => runAs(undefined, 'openssl', args, dir);
      mkdirSync(tls, { recursive: true });
      const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
      for (const ca of ['ca', 'other-ca']) openssl('req', '-x509', ...ec, '-keyout', join(tls, `${ca}.key`), '-out', join(tls, `${ca}.pem`), '-days', '1', '-subj', `/CN=secretrun ${ca}`);
      openssl('req', ...ec, '-keyout', join(tls, 'server.key'), '-out', join(tls, 'server.csr'), '-subj', '/CN=db.invalid');
      writeFileSync(join(tls, 'san.ext'), 'subjectAltName=DNS:db.invalid\n');
      openssl('x509', '-req', '-in', join(tls, 'server.csr'), '-CA', join(tls, 'ca.pem'), '-CAkey', join(tls, 'ca.key'), '-CAcreateserial', '-out', join(tls, 'server.pem'), '-days', '1', '-extfile', join(tls, 'san.ext'));
      for (const file of ['server.key', 'server.pem']) {
        chmodSync(join(tls, file), 0o600);
        if (account) chownSync(join(tls, file), account.uid, account.gid);
      }
      if (account) chownSync(tls, account.uid, account.gid);
      await superuser.query(`ALTER SYSTEM SET ssl_cert_file = '${join(tls, 'server.pem')}'`);
      await superuser.query(`ALTER SYSTEM SET ssl_key_file = '${join(tls, 'server.key')}'`);
      await superuser.query('ALTER SYSTEM SET ssl = on');
      await superuser.query('SELECT pg_reload_conf()');
      await waitFor('PostgreSQL to turn TLS on', async () => (await superuser.query<{ ssl: string }>('SHOW ssl')).rows[0]?.ssl === 'on');
      return { caFile: join(tls, 'ca.pem'), otherCaFile: join(tls, 'other-ca.pem') };
    },
    async disableTls() {
      await superuser.query('ALTER SYSTEM SET ssl = off');
      await superuser.query('SELECT pg_reload_conf()');
      await waitFor('PostgreSQL to turn TLS off', async () => (await superuser.query<{ ssl: string }>('SHOW ssl')).rows[0]?.ssl === 'off');
    },
    async sessionTls(applicationName) {
      const { rows } = await superuser.query<{ ssl: boolean }>('SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = $1', [applicationName]);
      return rows.length === 0 ? undefined : rows.every((row) => row.ssl);
    },
    async pause() {
      await server?.stop();
    },
    async resume() {
      await start();
    },
    async stop() {
      await superuser.end().catch(() => undefined);
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
