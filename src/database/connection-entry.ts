import { SecretrunError, invalidRequest } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { parseConnectionConfig, type ConnectionConfig } from './connection-config.js';
import { redactConnectionUrl } from './connection-target.js';
import { decodeBool, decodeCommaList, decodeStringSlice } from './role-fields.js';

// A connection as `database/config/<name>` stores it: the plugin, the engine's own fields and
// the plugin's connection details (everything else the request carried), as Vault's
// DatabaseConfig does. The literal password (in `password` or in the URL) is stored like every
// value, encrypted; a read never returns it.

// The stored entry.
export interface ConnectionEntry {
  plugin_name: string;
  plugin_version: string;
  verify_connection: boolean;
  allowed_roles: string[];
  root_credentials_rotate_statements: string[];
  password_policy: string;
  connection_details: JsonObject;
  /**
   * Set by rotate-root while it changes the password: the new one, until it is stored. A write
   * of the connection drops it (the password is then the one given).
   */
  pending_root_password?: string;
}

// The fields the engine takes for itself; the rest are connection details.
const engineFields = ['name', 'plugin_name', 'plugin_version', 'verify_connection', 'allowed_roles', 'root_rotation_statements', 'password_policy'];

// The entry a write makes: the existing one (if any) with what the request changed; connection
// details are merged key by key, as Vault does on an update.
export function buildConnectionEntry(existing: ConnectionEntry | undefined, input: JsonObject): ConnectionEntry {
  const pluginName = typeof input['plugin_name'] === 'string' && input['plugin_name'] !== '' ? input['plugin_name'] : existing?.plugin_name ?? '';
  if (pluginName === '') throw invalidRequest('empty plugin name');
  if (existing !== undefined && existing.plugin_name !== pluginName) {
    throw new SecretrunError('invalid_request', `cannot change plugin_name of an existing connection (it is ${existing.plugin_name})`, {
      hint: 'delete the connection and write it again with the other plugin',
    });
  }
  const details: JsonObject = { ...(existing?.connection_details ?? {}) };
  for (const [key, value] of Object.entries(input)) if (!engineFields.includes(key)) details[key] = value;
  const entry: ConnectionEntry = {
    plugin_name: pluginName,
    plugin_version: typeof input['plugin_version'] === 'string' ? input['plugin_version'] : existing?.plugin_version ?? '',
    verify_connection: input['verify_connection'] === undefined ? existing?.verify_connection ?? true : decodeBool(input['verify_connection'], 'verify_connection'),
    allowed_roles: input['allowed_roles'] === undefined ? existing?.allowed_roles ?? [] : decodeCommaList(input['allowed_roles'], 'allowed_roles'),
    root_credentials_rotate_statements:
      input['root_rotation_statements'] === undefined ? existing?.root_credentials_rotate_statements ?? [] : decodeStringSlice(input['root_rotation_statements'], 'root_rotation_statements'),
    password_policy: typeof input['password_policy'] === 'string' ? input['password_policy'] : existing?.password_policy ?? '',
    connection_details: details,
  };
  if (entry.password_policy !== '') {
    throw new SecretrunError('invalid_request', `password policy "${entry.password_policy}" not found`, {
      hint: 'secretrun has no sys/policies/password yet: leave password_policy unset for Vault\'s default policy',
    });
  }
  return entry;
}

// The plugin's view of an entry (decoded and checked).
export function connectionConfigOf(entry: ConnectionEntry): ConnectionConfig {
  return parseConnectionConfig(entry.plugin_name, { ...entry.connection_details, verify_connection: entry.verify_connection });
}

// A stored entry, or undefined.
export function parseConnectionEntry(value: JsonValue | undefined): ConnectionEntry | undefined {
  return isJsonObject(value) && typeof value['plugin_name'] === 'string' ? (value as unknown as ConnectionEntry) : undefined;
}

// Vault's warning when the URL itself holds a password: it shows on reads and blocks rotation.
export function literalPasswordWarning(config: ConnectionConfig): string | undefined {
  if (config.connectionUrl.includes('{{password}}')) return undefined;
  return redactConnectionUrl(config) === config.connectionUrl
    ? undefined
    : 'Password found in connection_url, use a templated url to enable root rotation and prevent read access to password information.';
}

// What a read shows: no `password`, and a literal password in the URL replaced by `xxxxx`.
export function renderConnectionEntry(entry: ConnectionEntry): JsonObject {
  const details: JsonObject = { ...entry.connection_details };
  delete details['password'];
  delete details['private_key'];
  if (typeof details['connection_url'] === 'string') {
    try {
      details['connection_url'] = redactConnectionUrl(connectionConfigOf(entry));
    } catch {
      details['connection_url'] = '[unreadable connection_url]';
    }
  }
  return {
    allowed_roles: entry.allowed_roles,
    connection_details: details,
    password_policy: entry.password_policy,
    plugin_name: entry.plugin_name,
    plugin_version: entry.plugin_version,
    root_credentials_rotate_statements: entry.root_credentials_rotate_statements,
    verify_connection: entry.verify_connection,
  };
}

// Whether a role may use this connection (allowed_roles: names, globs, or `*`).
export function isRoleAllowed(entry: ConnectionEntry, role: string): boolean {
  return entry.allowed_roles.some((pattern) => pattern === '*' || pattern === role || globMatch(pattern, role));
}

// strutil.GlobbedStringsMatch: `*` at the start and/or end only.
function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return false;
  const starts = pattern.startsWith('*');
  const ends = pattern.endsWith('*');
  const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (starts && ends) return value.includes(core);
  if (starts) return value.endsWith(core);
  if (ends) return value.startsWith(core);
  return false;
}
