import { SecretrunError, invalidRequest } from '../errors.js';
import { parseGoDuration } from '../go/duration.js';
import { parseGoBool, parseGoInt } from '../go/strconv.js';
import { findPlugin, pluginNames, type PluginInfo } from './plugin-catalog.js';

// A database connection's configuration (database/config/<name>): the plugin, its connection
// URL (usually templated with {{username}} and {{password}}) and the fields Vault's plugins
// read from the connection details. Decoded weakly, as Vault's mapstructure.WeakDecode does
// (`"5"` for 5, `"true"` for true). No message ever quotes the password or the URL.

// The fields a connection keeps.
export interface ConnectionConfig {
  plugin: PluginInfo;
  connectionUrl: string;
  username: string | undefined;
  password: string | undefined;
  verifyConnection: boolean;
  /** Pool bound: Vault's default 4; a negative value means unlimited, as in Go's database/sql. */
  maxOpenConnections: number;
  maxIdleConnections: number;
  /** 0: connections are reused forever. */
  maxConnectionLifetimeMs: number;
  usernameTemplate: string | undefined;
  passwordPolicy: string | undefined;
  /** Substitute username and password into the URL as written (Vault's disable_escaping). */
  disableEscaping: boolean;
  /** PostgreSQL only: send passwords as SCRAM-SHA-256 verifiers instead of plain text. */
  passwordAuthentication: 'password' | 'scram-sha-256';
}

const defaultMaxOpenConnections = 4;

type Details = Readonly<Record<string, unknown>>;

function readString(details: Details, key: string, secret = false): string | undefined {
  const value = details[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidRequest(secret ? `${key}: expected a string` : `${key}: expected a string, got ${JSON.stringify(value)}`);
}

function readInt(details: Details, key: string): number | undefined {
  const value = details[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const parsed = parseGoInt(value);
    if (parsed.ok) return parsed.value;
  }
  throw invalidRequest(`${key}: expected an integer, got ${JSON.stringify(value)}`);
}

function readBool(details: Details, key: string, fallback: boolean): boolean {
  const value = details[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const parsed = parseGoBool(value);
    if (parsed.ok) return parsed.value;
  }
  throw invalidRequest(`${key}: expected a boolean, got ${JSON.stringify(value)}`);
}

// parseutil.ParseDurationSecond: a number of seconds, or a Go duration.
function readDurationMs(details: Details, key: string): number {
  const value = details[key];
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string') {
    if (/^-?\d+$/.test(value)) return Number(value) * 1000;
    const parsed = parseGoDuration(value);
    if (parsed.ok) return Number(parsed.value / 1_000_000n);
    throw invalidRequest(`invalid ${key}: ${parsed.error}`);
  }
  throw invalidRequest(`invalid ${key}: expected a duration, got ${JSON.stringify(value)}`);
}

const templateVariables = /\{\{(?:username|password)\}\}/;

// Decodes and checks a connection's details for `pluginName`.
export function parseConnectionConfig(pluginName: string, details: Details): ConnectionConfig {
  const plugin = findPlugin(pluginName);
  if (plugin === undefined) {
    throw new SecretrunError('invalid_request', pluginName === '' ? 'empty plugin name' : `error creating database object: unknown database plugin ${JSON.stringify(pluginName)}`, {
      hint: `use one of ${pluginNames().join(', ')}`,
    });
  }
  const connectionUrl = readString(details, 'connection_url', true) ?? '';
  if (connectionUrl === '') throw invalidRequest('connection_url cannot be empty');
  const username = readString(details, 'username');
  const password = readString(details, 'password', true);
  if (templateVariables.test(username ?? '') || templateVariables.test(password ?? '')) {
    throw invalidRequest('username and/or password cannot contain the template variables');
  }
  const maxOpen = readInt(details, 'max_open_connections') ?? 0;
  const maxOpenConnections = maxOpen === 0 ? defaultMaxOpenConnections : maxOpen;
  const maxIdle = readInt(details, 'max_idle_connections') ?? 0;
  const maxIdleConnections = maxIdle === 0 || (maxOpenConnections > 0 && maxIdle > maxOpenConnections) ? maxOpenConnections : maxIdle;
  const passwordAuthentication = readString(details, 'password_authentication') ?? 'password';
  if (passwordAuthentication !== 'password' && passwordAuthentication !== 'scram-sha-256') {
    throw invalidRequest(`'${passwordAuthentication}' is not a valid password authentication type`);
  }
  if (passwordAuthentication === 'scram-sha-256' && plugin.kind !== 'postgresql') {
    throw invalidRequest('password_authentication is only supported by postgresql-database-plugin');
  }
  const usernameTemplate = readString(details, 'username_template');
  const passwordPolicy = readString(details, 'password_policy');
  return {
    plugin,
    connectionUrl,
    username: username === '' ? undefined : username,
    password: password === '' ? undefined : password,
    verifyConnection: readBool(details, 'verify_connection', true),
    maxOpenConnections,
    maxIdleConnections,
    maxConnectionLifetimeMs: readDurationMs(details, 'max_connection_lifetime'),
    usernameTemplate: usernameTemplate === '' ? undefined : usernameTemplate,
    passwordPolicy: passwordPolicy === '' ? undefined : passwordPolicy,
    disableEscaping: readBool(details, 'disable_escaping', false),
    passwordAuthentication,
  };
}

// The same connection with a new password for its own user (after a root rotation).
export function withPassword(config: ConnectionConfig, password: string): ConnectionConfig {
  return { ...config, password };
}

// The user whose password rotate-root changes. Vault requires a username and password field and
// a templated URL; without {{password}} in the URL the connection would keep using the old
// password after the change and break, so that is refused before anything is changed.
export function checkRootRotation(config: ConnectionConfig): string {
  if (config.username === undefined) throw invalidRequest('unable to rotate root credentials: no username in configuration');
  if (config.password === undefined) throw invalidRequest('unable to rotate root credentials: no password in configuration');
  if (!config.connectionUrl.includes('{{password}}')) {
    throw new SecretrunError('invalid_request', 'unable to rotate root credentials: connection_url does not use {{password}}', {
      hint: 'write connection_url with {{username}} and {{password}} and give the username and password fields',
    });
  }
  return config.username;
}
