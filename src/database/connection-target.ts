import { invalidRequest } from '../errors.js';
import type { ConnectionConfig } from './connection-config.js';
import { buildMysqlOptions, parseMysqlDsn, redactMysqlDsn, type MysqlOptions } from './mysql-dsn.js';
import { parsePostgresDsn, redactPostgresDsn } from './postgresql-dsn.js';
import { renderQuery } from './statement-list.js';

// Where and how a plugin connects, resolved from its configuration: the connection URL parsed,
// and {{username}}/{{password}} filled from the username and password fields. The template is
// parsed first and the values placed in the fields they name, so a password needs no escaping
// in either URL form (Vault escapes for URLs, which breaks keyword/value strings); with
// disable_escaping the values are pasted into the text before parsing, as Vault does.

// How a PostgreSQL connection uses TLS (libpq's sslmode, files read when connecting).
export interface PostgresTls {
  mode: 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  rootCertFile: string | undefined;
  certFile: string | undefined;
  keyFile: string | undefined;
  keyPassphrase: string | undefined;
}

// A resolved MySQL connection.
export interface MysqlTarget {
  kind: 'mysql';
  host: string | undefined;
  port: number | undefined;
  socketPath: string | undefined;
  user: string;
  password: string;
  database: string;
  options: MysqlOptions;
}

// A resolved PostgreSQL connection.
export interface PostgresTarget {
  kind: 'postgresql';
  host: string;
  port: number;
  user: string | undefined;
  password: string | undefined;
  database: string | undefined;
  tls: PostgresTls;
  connectTimeoutMs: number | undefined;
  applicationName: string;
  /** `-c name=value` settings for the session (libpq's options and other runtime parameters). */
  options: string | undefined;
}

// Either resolved connection.
export type ConnectionTarget = MysqlTarget | PostgresTarget;

const fill = (text: string, config: ConnectionConfig): string => renderQuery(text, { username: config.username ?? '', password: config.password ?? '' });

function splitHostPort(address: string): { host: string; port: number } {
  const match = /^\[(.*)\]:(\d+)$/.exec(address) ?? /^(.*):(\d+)$/.exec(address);
  return { host: match?.[1] ?? address, port: Number(match?.[2] ?? 3306) };
}

function buildMysqlTarget(config: ConnectionConfig): MysqlTarget {
  const dsn = parseMysqlDsn(config.disableEscaping ? fill(config.connectionUrl, config) : config.connectionUrl);
  const address = dsn.network === 'tcp' ? splitHostPort(dsn.address) : undefined;
  return {
    kind: 'mysql',
    host: address?.host,
    port: address?.port,
    socketPath: dsn.network === 'unix' ? dsn.address : undefined,
    user: fill(dsn.user, config),
    password: fill(dsn.password ?? '', config),
    database: dsn.database,
    options: buildMysqlOptions(dsn.params),
  };
}

const unsupportedPostgresParams = new Set(['hostaddr', 'service', 'passfile', 'sslcrl', 'krbsrvname', 'gsslib', 'requiressl']);
// Parameters that change nothing for the statements a plugin runs on one host.
const inertPostgresParams = new Set([
  'fallback_application_name', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout',
  'target_session_attrs', 'sslsni', 'channel_binding', 'statement_cache_capacity', 'description_cache_capacity',
  'default_query_exec_mode', 'min_read_buffer_size', 'sslnegotiation',
]);
const sslModes = new Map<string, PostgresTls['mode']>([
  ['disable', 'disable'],
  ['allow', 'prefer'],
  ['prefer', 'prefer'],
  ['require', 'require'],
  ['verify-ca', 'verify-ca'],
  ['verify-full', 'verify-full'],
]);

function buildPostgresTarget(config: ConnectionConfig): PostgresTarget {
  const dsn = parsePostgresDsn(config.disableEscaping ? fill(config.connectionUrl, config) : config.connectionUrl);
  const params = new Map(dsn.params);
  const take = (key: string): string | undefined => {
    const value = params.get(key);
    params.delete(key);
    return value;
  };
  const sslmode = take('sslmode') ?? 'prefer';
  let mode = sslModes.get(sslmode);
  if (mode === undefined) throw invalidRequest(`connection_url: sslmode=${sslmode} is not one of disable, allow, prefer, require, verify-ca, verify-full`);
  const rootCertFile = take('sslrootcert');
  // libpq: with a root certificate, require verifies the chain like verify-ca.
  if (mode === 'require' && rootCertFile !== undefined) mode = 'verify-ca';
  const tls: PostgresTls = { mode, rootCertFile, certFile: take('sslcert'), keyFile: take('sslkey'), keyPassphrase: take('sslpassword') };
  const timeout = take('connect_timeout');
  if (timeout !== undefined && !/^\d+$/.test(timeout)) throw invalidRequest('connection_url: connect_timeout must be a number of seconds');
  const applicationName = take('application_name') ?? 'secretrun';
  const settings: string[] = [];
  const options = take('options');
  if (options !== undefined && options !== '') settings.push(options);
  for (const [key, value] of params) {
    if (unsupportedPostgresParams.has(key)) throw invalidRequest(`connection_url: the ${key} parameter is not supported`);
    if (inertPostgresParams.has(key) || (key === 'client_encoding' && /^utf-?8$/i.test(value))) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)) throw invalidRequest(`connection_url: ${JSON.stringify(key)} is not a parameter name`);
    settings.push(`-c ${key}=${value.replace(/[\\ ]/g, (char) => `\\${char}`)}`);
  }
  const user = dsn.user === undefined ? undefined : fill(dsn.user, config);
  return {
    kind: 'postgresql',
    host: dsn.host === undefined ? 'localhost' : fill(dsn.host, config),
    port: dsn.port === undefined ? 5432 : Number(dsn.port),
    user,
    password: dsn.password === undefined ? undefined : fill(dsn.password, config),
    database: dsn.database ?? user,
    tls,
    connectTimeoutMs: timeout === undefined || timeout === '0' ? undefined : Number(timeout) * 1000,
    applicationName,
    options: settings.length === 0 ? undefined : settings.join(' '),
  };
}

// Resolves a connection's URL and credentials into what its driver needs.
export function buildConnectionTarget(config: ConnectionConfig): ConnectionTarget {
  return config.plugin.kind === 'mysql' ? buildMysqlTarget(config) : buildPostgresTarget(config);
}

// `host:port/database` (or `socket/database`): how errors name a connection, without secrets.
export function describeConnection(target: ConnectionTarget): string {
  if (target.kind === 'mysql') {
    const where = target.socketPath ?? `${target.host?.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    return `${where}/${target.database}`;
  }
  const host = target.host.includes(':') && !target.host.startsWith('/') ? `[${target.host}]` : target.host;
  return `${host}:${target.port}/${target.database ?? ''}`;
}

// The connection URL as a read of the configuration shows it: a literal password replaced by
// `xxxxx` (Vault shows MySQL DSNs and keyword/value strings unredacted; secretrun never does).
export function redactConnectionUrl(config: ConnectionConfig): string {
  return config.plugin.kind === 'mysql' ? redactMysqlDsn(config.connectionUrl) : redactPostgresDsn(config.connectionUrl);
}
