import { readFileSync } from 'node:fs';
import pg from 'pg';
import { invalidRequest, isSecretrunError } from '../errors.js';
import { checkRootRotation, withPassword, type ConnectionConfig } from './connection-config.js';
import { buildConnectionTarget, describeConnection, type PostgresTarget } from './connection-target.js';
import { connectionError, statementError, type ErrorContext } from './database-error.js';
import type { DatabasePlugin, PluginEffects } from './database-plugin.js';
import { createOperationQueue } from './operation-queue.js';
import { buildPostgresRevocation, postgresqlDefaultRenewal, postgresqlDefaultRotation } from './default-statements.js';
import { buildScramVerifier } from './scram-verifier.js';
import { buildTransactionText, parseStatements, renderExpiration, renderQuery, type PlaceholderValues } from './statement-list.js';
import { createUsernameGenerator } from './username-template.js';

// postgresql-database-plugin over node-postgres: a bounded pool per connection; each operation
// runs its statements in one transaction, so a creation that fails part-way leaves nothing.
// Loaded only by plugin-loader.ts (with its driver), never on a start-up path.

// A connection attempt gives up after this long (connect_timeout overrides it).
const defaultConnectTimeoutMs = 10_000;
// A statement that runs longer than this is abandoned.
const queryTimeoutMs = 60_000;
const serverLacksTls = 'The server does not support SSL connections';

function readTlsFile(path: string | undefined): Buffer | undefined {
  return path === undefined ? undefined : readFileSync(path);
}

// node-postgres's `ssl` option for an sslmode (`prefer` starts with TLS and may fall back).
function buildSsl(target: PostgresTarget, plain: boolean): pg.ClientConfig['ssl'] {
  const { tls } = target;
  if (tls.mode === 'disable' || plain) return false;
  const files = { cert: readTlsFile(tls.certFile), key: readTlsFile(tls.keyFile), passphrase: tls.keyPassphrase };
  if (tls.mode === 'prefer' || tls.mode === 'require') return { ...files, rejectUnauthorized: false };
  const verified = { ...files, ca: readTlsFile(tls.rootCertFile), rejectUnauthorized: true };
  return tls.mode === 'verify-ca' ? { ...verified, checkServerIdentity: () => undefined } : verified;
}

// Opens the plugin for one connection; nothing connects until the first operation.
export function createPostgresqlPlugin(initial: ConnectionConfig, effects: PluginEffects): DatabasePlugin {
  let config = initial;
  let target = buildConnectionTarget(config) as PostgresTarget;
  const usernames = createUsernameGenerator(config.usernameTemplate, config.plugin, effects);
  let pool: pg.Pool | undefined;
  // sslmode=prefer against a server without TLS: connect in plain text from then on.
  let plain = false;
  const context = (...secrets: (string | undefined)[]): ErrorContext => ({
    plugin: config.plugin.name,
    connection: describeConnection(target),
    secrets: [config.password, target.password, ...secrets],
  });

  function openPool(): pg.Pool {
    if (pool !== undefined) return pool;
    const created = new pg.Pool({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      ssl: buildSsl(target, plain),
      application_name: target.applicationName,
      options: target.options,
      connectionTimeoutMillis: target.connectTimeoutMs ?? defaultConnectTimeoutMs,
      query_timeout: queryTimeoutMs,
      max: config.maxOpenConnections > 0 ? config.maxOpenConnections : Number.MAX_SAFE_INTEGER,
      maxLifetimeSeconds: Math.ceil(config.maxConnectionLifetimeMs / 1000),
      // A pool nobody closed must not keep the process alive.
      allowExitOnIdle: true,
    });
    // An idle connection the server dropped is removed by the pool; the event must be handled.
    created.on('error', () => undefined);
    pool = created;
    return created;
  }

  async function closePool(): Promise<void> {
    const current = pool;
    pool = undefined;
    await current?.end().catch(() => undefined);
  }

  async function connect(secrets: (string | undefined)[]): Promise<pg.PoolClient> {
    try {
      return await openPool().connect();
    } catch (error) {
      if (target.tls.mode === 'prefer' && !plain && error instanceof Error && error.message === serverLacksTls) {
        plain = true;
        await closePool();
        return connect(secrets);
      }
      throw connectionError(context(...secrets), error);
    }
  }

  // Runs `statements` on one pooled connection in one transaction; any failure rolls back. The
  // whole transaction goes in one simple-protocol query when its values allow it
  // (buildTransactionText): PostgreSQL stops at the first failing statement and the ROLLBACK
  // below undoes the rest, as when they are sent one by one.
  // `onSent` is called once the first query is written (the driver writes on the call).
  async function inTransaction(what: string, secrets: (string | undefined)[], statements: readonly string[], values: PlaceholderValues, onSent?: () => void): Promise<void> {
    const queries = parseStatements(statements, 'postgresql');
    const client = await connect(secrets);
    let broken = false;
    try {
      const batch = buildTransactionText(queries, values);
      const first = client.query(batch === undefined ? 'BEGIN' : batch.text);
      onSent?.();
      await first;
      if (batch === undefined) {
        for (const query of queries) await client.query(renderQuery(query, values));
        await client.query('COMMIT');
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw statementError(context(...secrets), what, error);
    } finally {
      client.release(broken);
    }
  }

  // The password as statements receive it: plain, or its SCRAM verifier.
  const passwordForStatements = (password: string): string =>
    config.passwordAuthentication === 'scram-sha-256' ? buildScramVerifier(password, effects.randomBytes) : password;

  async function setPassword(username: string, password: string, statements: readonly string[]): Promise<void> {
    if (username === '') throw invalidRequest('missing username');
    if (password === '') throw invalidRequest('missing password');
    const stored = passwordForStatements(password);
    const values = { name: username, username, password: stored };
    await inTransaction('failed to change password', [password, stored], statements.length > 0 ? statements : [postgresqlDefaultRotation], values);
  }

  async function roleExists(client: pg.PoolClient, username: string): Promise<boolean> {
    const exists = await client.query<{ exists: boolean }>('SELECT exists (SELECT rolname FROM pg_roles WHERE rolname=$1)', [username]);
    return exists.rows[0]?.exists === true;
  }

  // Vault's default revocation: revoke what can be revoked, each on its own, then drop the role.
  async function dropUser(username: string): Promise<void> {
    const client = await connect([]);
    try {
      if (!(await roleExists(client, username))) return;
      const schemas = await client.query<{ table_schema: string }>('SELECT DISTINCT table_schema FROM information_schema.role_column_grants WHERE grantee=$1', [username]);
      const database = await client.query<{ current_database: string | null }>('SELECT current_database()');
      const plan = buildPostgresRevocation(
        username,
        schemas.rows.map((row) => row.table_schema),
        database.rows[0]?.current_database ?? undefined,
      );
      let lastError: unknown;
      for (const revoke of plan.revokes) await client.query(revoke).catch((error: unknown) => (lastError = error));
      if (lastError !== undefined) throw statementError(context(), 'could not perform all revocation statements', lastError);
      await client.query(plan.drop);
    } catch (error) {
      if (isSecretrunError(error)) throw error;
      throw statementError(context(), 'failed to revoke the user', error);
    } finally {
      client.release();
    }
  }

  const queue = createOperationQueue();
  return {
    pluginName: config.plugin.name,
    get connection() {
      return describeConnection(target);
    },

    verifyConnection: () =>
      queue.run(async () => {
        const client = await connect([]);
        try {
          await client.query('SELECT 1');
        } catch (error) {
          throw connectionError(context(), error);
        } finally {
          client.release();
        }
      }),

    createUser: (request) =>
      queue.run(async () => {
        if (parseStatements(request.statements, 'postgresql').length === 0) throw invalidRequest('empty creation statements');
        const { username } = request;
        const stored = passwordForStatements(request.password);
        const values = { name: username, username, password: stored, expiration: renderExpiration(request.expiration) };
        await inTransaction('failed to execute query', [request.password, stored], request.statements, values, request.onSent);
      }),

    generateUsername: (metadata) => usernames.generate(metadata),

    renewUser: (request) =>
      queue.run(async () => {
        if (request.username === '') throw invalidRequest('missing username');
        const values = { name: request.username, username: request.username, expiration: renderExpiration(request.expiration) };
        await inTransaction('failed to renew the user', [], request.statements.length > 0 ? request.statements : [postgresqlDefaultRenewal], values);
      }),

    revokeUser: (request) =>
      queue.run(async () => {
        if (request.statements.length === 0) return dropUser(request.username);
        const values = { name: request.username, username: request.username };
        return inTransaction('failed to revoke the user', [], request.statements, values);
      }),

    userExists: (username) =>
      queue.run(async () => {
        const client = await connect([]);
        try {
          return await roleExists(client, username);
        } catch (error) {
          throw statementError(context(), 'failed to look up the user', error);
        } finally {
          client.release();
        }
      }),

    setPassword: (request) => queue.run(() => setPassword(request.username, request.password, request.statements)),

    rotateRoot: (statements) =>
      queue.run(async () => {
        const username = checkRootRotation(config);
        const password = effects.generatePassword();
        await setPassword(username, password, statements);
        // Only connections opened with the new password are used from now on.
        await closePool();
        config = withPassword(config, password);
        target = buildConnectionTarget(config) as PostgresTarget;
        return { password };
      }),

    close: () => queue.run(closePool),
  };
}
