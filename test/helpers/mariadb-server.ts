import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { DbCredentials } from './postgres-server.js';
import { findFreePort, makeServerDir, runAs, serverAccount, startServerProcess, type ServerProcess } from './server-process.js';
import { waitFor } from './wait-for.js';

// A real MariaDB server for a test file: Debian's mariadb-server package (mariadb-install-db
// and mariadbd), a data dir in a temp dir on a free port, run as the package's `mysql` account
// when the tests run as root. Only the admin created here can
// log in over TCP; the helper uses root over the Unix socket in the temp dir, so it keeps working
// whatever a test does to the admin's password.

// A running server and what tests do with it.
export interface MariadbServer {
  readonly host: string;
  readonly port: number;
  /** A user with every privilege and GRANT OPTION, for connection configurations. */
  readonly admin: DbCredentials;
  /** How long mariadb-install-db and the first start took, in ms. */
  readonly startupMs: number;
  /** Runs SQL as root over the Unix socket. */
  query<T = mysql.RowDataPacket>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Logs in over TCP and runs `work` as that user. */
  asUser<T>(credentials: DbCredentials, work: (connection: mysql.Connection) => Promise<T>): Promise<T>;
  /** Whether a password login over TCP succeeds (false when MariaDB refuses the credentials). */
  canLogIn(credentials: DbCredentials): Promise<boolean>;
  userExists(name: string): Promise<boolean>;
  /** Creates another all-privileges user with a random password (for tests that rotate it). */
  createAdmin(name: string): Promise<DbCredentials>;
  /** Drops every user not there after start-up. */
  dropTestUsers(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

function findBinary(name: string, fallback: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (found !== '') return found;
  if (existsSync(fallback)) return fallback;
  throw new Error(`${name} is not installed: apt-get install -y mariadb-server (.ci/run does it)`);
}

const password = (): string => randomBytes(18).toString('base64url');

// Small and quick: this server holds a few users, not data.
const tuning = ['--innodb-buffer-pool-size=16M', '--innodb-log-file-size=4M', '--innodb-data-file-path=ibdata1:4M:autoextend', '--innodb-use-native-aio=0', '--skip-log-bin'];

// Starts a fresh server; stop() it in afterAll.
export async function startMariadbServer(): Promise<MariadbServer> {
  const started = Date.now();
  const installDb = findBinary('mariadb-install-db', '/usr/bin/mariadb-install-db');
  const mariadbd = findBinary('mariadbd', '/usr/sbin/mariadbd');
  const account = serverAccount('mysql');
  const dir = makeServerDir('secretrun-mariadb-', account);
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const userFlag = account ? [`--user=${account.name}`] : [];
  try {
    runAs(undefined, installDb, ['--no-defaults', `--datadir=${data}`, ...userFlag, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve', ...tuning], dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = await findFreePort();
  let server: ServerProcess | undefined;
  const root = mysql.createPool({ socketPath: socket, user: 'root', connectionLimit: 2, maxIdle: 0 });

  async function start(): Promise<void> {
    const args = ['--no-defaults', `--datadir=${data}`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${socket}`, `--pid-file=${join(dir, 'mariadbd.pid')}`, '--skip-name-resolve', '--skip-performance-schema', ...tuning];
    const running = startServerProcess(account, mariadbd, args, dir, join(dir, 'mariadbd.log'), 'SIGTERM');
    server = running;
    let exited = false;
    void running.exited.then(() => (exited = true));
    await waitFor('MariaDB to accept connections', async () => {
      if (exited) throw new Error(`mariadbd exited during start-up:\n${running.log()}`);
      return root.query('SELECT 1').then(
        () => true,
        () => false,
      );
    });
  }

  async function setUp() {
    // Only root over the socket and the admin may log in: drop the passwordless TCP roots.
    const [roots] = await root.query<mysql.RowDataPacket[]>("SELECT Host AS host FROM mysql.user WHERE User = 'root' AND Host <> 'localhost'");
    for (const row of roots) await root.query('DROP USER ?@?', ['root', row.host]);
    const admin = { username: 'secretrun_admin', password: password() };
    await root.query("CREATE USER ?@'%' IDENTIFIED BY ?", [admin.username, admin.password]);
    await root.query("GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION", [admin.username]);
    const [users] = await root.query<mysql.RowDataPacket[]>('SELECT User AS user, Host AS host FROM mysql.user');
    const baseline = new Set(users.map((row) => `${row.user}@${row.host}`));
    return { admin, baseline };
  }

  // A server that fails to start or set up is not left behind.
  const abandon = async (): Promise<void> => {
    await root.end().catch(() => undefined);
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

  const connectAs = (credentials: DbCredentials): Promise<mysql.Connection> =>
    mysql.createConnection({ host: '127.0.0.1', port, user: credentials.username, password: credentials.password, connectTimeout: 5000 });

  return {
    host: '127.0.0.1',
    port,
    admin,
    startupMs,
    async query<T>(sql: string, params?: unknown[]) {
      const [rows] = await root.query(sql, params);
      return rows as T[];
    },
    async asUser(credentials, work) {
      const connection = await connectAs(credentials);
      try {
        return await work(connection);
      } finally {
        await connection.end();
      }
    },
    async canLogIn(credentials) {
      try {
        await (await connectAs(credentials)).end();
        return true;
      } catch (error) {
        // ER_ACCESS_DENIED_ERROR (1045): unknown user or wrong password.
        if ((error as { errno?: number }).errno === 1045) return false;
        throw error;
      }
    },
    async userExists(name) {
      const [rows] = await root.query<mysql.RowDataPacket[]>('SELECT 1 FROM mysql.user WHERE User = ?', [name]);
      return rows.length > 0;
    },
    async createAdmin(name) {
      const credentials = { username: name, password: password() };
      await root.query("CREATE USER ?@'%' IDENTIFIED BY ?", [name, credentials.password]);
      await root.query("GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION", [name]);
      baseline.add(`${name}@%`);
      return credentials;
    },
    async dropTestUsers() {
      const [rows] = await root.query<mysql.RowDataPacket[]>('SELECT User AS user, Host AS host FROM mysql.user');
      for (const row of rows.filter((r) => !baseline.has(`${r.user}@${r.host}`))) await root.query('DROP USER ?@?', [row.user, row.host]);
    },
    async pause() {
      await server?.stop();
    },
    async resume() {
      await start();
    },
    async stop() {
      await root.end().catch(() => undefined);
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
