import mysql from 'mysql2/promise';
import { invalidRequest } from '../errors.js';
import { checkRootRotation, withPassword, type ConnectionConfig } from './connection-config.js';
import { buildConnectionTarget, describeConnection, type MysqlTarget } from './connection-target.js';
import { connectionError, sanitizeMessage, renderDriverReason, statementError, type ErrorContext } from './database-error.js';
import type { CreateUserRequest, DatabasePlugin, PluginEffects } from './database-plugin.js';
import { createOperationQueue } from './operation-queue.js';
import { mysqlDefaultRevocation, mysqlDefaultRotation } from './default-statements.js';
import { buildTransactionText, parseStatements, trimBatchEcho, renderExpiration, renderQuery, type PlaceholderValues } from './statement-list.js';
import { createUsernameGenerator } from './username-template.js';

// mysql-database-plugin (and its legacy variants) over mysql2, for MySQL and MariaDB: a bounded
// pool per connection. MySQL commits CREATE USER and GRANT on the spot, so a transaction cannot
// undo a creation that fails part-way: the plugin then runs the role's rollback statements, or
// drops the user if it exists, so no half-created user remains.
// Loaded only by plugin-loader.ts (with its driver), never on a start-up path.

// A connection attempt gives up after this long (the DSN's timeout= overrides it).
const defaultConnectTimeoutMs = 10_000;
// A statement that runs longer than this is abandoned (readTimeout=/writeTimeout= override it).
const defaultQueryTimeoutMs = 60_000;
const idleTimeoutMs = 10_000;

type Connection = mysql.PoolConnection;

// Opens the plugin for one connection; nothing connects until the first operation.
export function createMysqlPlugin(initial: ConnectionConfig, effects: PluginEffects): DatabasePlugin {
  let config = initial;
  let target = buildConnectionTarget(config) as MysqlTarget;
  const usernames = createUsernameGenerator(config.usernameTemplate, config.plugin, effects);
  let pool: mysql.Pool | undefined;
  // Connections that already ran the DSN's session variables.
  const prepared = new WeakSet<object>();
  const context = (...secrets: (string | undefined)[]): ErrorContext => ({
    plugin: config.plugin.name,
    connection: describeConnection(target),
    secrets: [config.password, target.password, ...secrets],
  });
  const timeout = (): number => target.options.queryTimeoutMs ?? defaultQueryTimeoutMs;

  function openPool(): mysql.Pool {
    if (pool !== undefined) return pool;
    const limit = config.maxOpenConnections > 0 ? config.maxOpenConnections : Number.MAX_SAFE_INTEGER;
    pool = mysql.createPool({
      host: target.host,
      port: target.port,
      socketPath: target.socketPath,
      user: target.user,
      password: target.password,
      database: target.database === '' ? undefined : target.database,
      charset: target.options.charset,
      ssl: target.options.tls === 'off' ? undefined : { rejectUnauthorized: target.options.tls === 'verify' },
      connectTimeout: target.options.connectTimeoutMs ?? defaultConnectTimeoutMs,
      connectionLimit: limit,
      maxIdle: config.maxIdleConnections > 0 ? Math.min(config.maxIdleConnections, limit) : 0,
      // mysql2 has no maximum lifetime (max_connection_lifetime); idle connections close after
      // this long, as node-postgres's do.
      idleTimeout: idleTimeoutMs,
      // One round trip for a transaction's statements (runTransaction); every query sent is
      // built here, from the role's statements and values checked by buildTransactionText.
      multipleStatements: true,
      // No call-site stack captured for every query (mysql2's `trace`, on by default): errors
      // reach users as one line naming the connection, never with a stack.
      trace: false,
    });
    return pool;
  }

  async function closePool(): Promise<void> {
    const current = pool;
    pool = undefined;
    await current?.end().catch(() => undefined);
  }

  async function connect(secrets: (string | undefined)[]): Promise<Connection> {
    let connection: Connection;
    try {
      connection = await openPool().getConnection();
    } catch (error) {
      throw connectionError(context(...secrets), error);
    }
    const core = (connection as unknown as { connection: object }).connection;
    if (!prepared.has(core)) {
      try {
        for (const [name, value] of target.options.sessionVariables) await connection.query({ sql: `SET ${name}=${value}`, timeout: timeout() });
        prepared.add(core);
      } catch (error) {
        connection.destroy();
        throw connectionError(context(...secrets), error);
      }
    }
    return connection;
  }

  async function runAll(connection: Connection, statements: readonly string[], values: PlaceholderValues): Promise<void> {
    for (const query of parseStatements(statements, 'mysql')) await connection.query({ sql: renderQuery(query, values), timeout: timeout() });
  }

  // Runs `statements` between BEGIN and COMMIT, in one round trip when the values allow it
  // (buildTransactionText; the pool allows several statements per query for this): MySQL stops
  // at the first failing statement, as when they are sent one by one. Errors are the driver's.
  // `onSent` is called once the first query is written (the driver writes on the call).
  async function runTransaction(connection: Connection, statements: readonly string[], values: PlaceholderValues, onSent?: () => void): Promise<void> {
    const queries = parseStatements(statements, 'mysql');
    const batch = buildTransactionText(queries, values);
    if (batch !== undefined) {
      try {
        const sent = connection.query({ sql: batch.text, timeout: timeout() });
        onSent?.();
        await sent;
      } catch (error) {
        if (error instanceof Error) error.message = trimBatchEcho(error.message, batch);
        throw error;
      }
      return;
    }
    const begun = connection.beginTransaction();
    onSent?.();
    await begun;
    for (const query of queries) await connection.query({ sql: renderQuery(query, values), timeout: timeout() });
    await connection.commit();
  }

  // Runs `statements` in a transaction (undone where MySQL can undo it); failures are wrapped.
  async function inTransaction(connection: Connection, what: string, secrets: (string | undefined)[], statements: readonly string[], values: PlaceholderValues): Promise<void> {
    try {
      await runTransaction(connection, statements, values);
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw statementError(context(...secrets), what, error);
    }
  }

  async function userExists(connection: Connection, username: string): Promise<boolean> {
    const [rows] = await connection.query<mysql.RowDataPacket[]>({ sql: 'SELECT EXISTS (SELECT user FROM mysql.user WHERE user=?) AS found', timeout: timeout() }, [username]);
    return Number(rows[0]?.found) === 1;
  }

  // Vault's revocation: the role's statements, or the default drop when the user exists.
  async function revoke(connection: Connection, username: string, statements: readonly string[]): Promise<void> {
    const values = { name: username, username };
    if (statements.length > 0) return inTransaction(connection, 'failed to revoke the user', [], statements, values);
    let exists: boolean;
    try {
      exists = await userExists(connection, username);
    } catch (error) {
      throw statementError(context(), 'failed to revoke the user', error);
    }
    if (exists) await inTransaction(connection, 'failed to revoke the user', [], [mysqlDefaultRevocation], values);
  }

  async function withConnection<T>(secrets: (string | undefined)[], work: (connection: Connection) => Promise<T>): Promise<T> {
    const connection = await connect(secrets);
    try {
      return await work(connection);
    } finally {
      connection.release();
    }
  }

  async function setPassword(username: string, password: string, statements: readonly string[]): Promise<void> {
    if (username === '' || password === '') throw invalidRequest('must provide both username and password');
    const values = { name: username, username, password };
    await withConnection([password], (connection) =>
      inTransaction(connection, 'failed to change password', [password], statements.length > 0 ? statements : [mysqlDefaultRotation], values),
    );
  }

  async function createUser(request: CreateUserRequest): Promise<void> {
    if (parseStatements(request.statements, 'mysql').length === 0) throw invalidRequest('empty creation statements');
    const { username } = request;
    const values = { name: username, username, password: request.password, expiration: renderExpiration(request.expiration) };
    const secrets = [request.password];
    await withConnection(secrets, async (connection) => {
      try {
        await runTransaction(connection, request.statements, values, request.onSent);
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        // CREATE USER and GRANT committed themselves: undo what the failed creation left.
        try {
          if (request.rollbackStatements.length > 0) await runAll(connection, request.rollbackStatements, { name: username, username });
          else if (await userExists(connection, username)) await runAll(connection, [mysqlDefaultRevocation], { name: username, username });
        } catch (cleanup) {
          const reason = sanitizeMessage(renderDriverReason(error), context(...secrets).secrets);
          throw statementError(context(...secrets), `failed to execute query: ${reason}; removing the partly created user ${username} also failed`, cleanup);
        }
        throw statementError(context(...secrets), 'failed to execute query', error);
      }
    });
  }

  const queue = createOperationQueue();
  return {
    pluginName: config.plugin.name,
    get connection() {
      return describeConnection(target);
    },

    verifyConnection: () =>
      queue.run(() =>
        withConnection([], async (connection) => {
          try {
            await connection.ping();
          } catch (error) {
            throw connectionError(context(), error);
          }
        }),
      ),

    generateUsername: (metadata) => usernames.generate(metadata),

    createUser: (request) => queue.run(() => createUser(request)),

    // MySQL users have no expiry to move: a renewal only extends the lease (as in Vault).
    renewUser: async () => undefined,

    revokeUser: (request) => queue.run(() => withConnection([], (connection) => revoke(connection, request.username, request.statements))),

    userExists: (username) =>
      queue.run(() =>
        withConnection([], async (connection) => {
          try {
            return await userExists(connection, username);
          } catch (error) {
            throw statementError(context(), 'failed to look up the user', error);
          }
        }),
      ),

    setPassword: (request) => queue.run(() => setPassword(request.username, request.password, request.statements)),

    rotateRoot: (statements) =>
      queue.run(async () => {
        const username = checkRootRotation(config);
        const password = effects.generatePassword();
        await setPassword(username, password, statements);
        // Only connections opened with the new password are used from now on.
        await closePool();
        config = withPassword(config, password);
        target = buildConnectionTarget(config) as MysqlTarget;
        return { password };
      }),

    close: () => queue.run(closePool),
  };
}

