import { SecretrunError, invalidRequest } from '../errors.js';
import { isJsonObject, type JsonValue } from '../json.js';
import { decodeBool, decodeDurationSeconds, decodeMap } from '../kv/field-decode.js';
import type { Storage } from '../store/storage.js';
import { buildUuid, normalizeMountPath, type RandomBytes } from './mounts.js';

// The auth method table (Vault's `sys/auth`), beside the mount table: `token/` always, and the
// userpass and AppRole methods enabled at any path. It lives in the committed store, so a team
// configures its methods locally and `secretrun server` enforces them. A method's own
// configuration (users, roles) is stored under `auth/<uuid>/`, its runtime state (secret-ids)
// under `sys/auth-state/<uuid>/`; disabling the method deletes both.

// The types secretrun can enable (token is built in and cannot be enabled again).
export const authMethodTypes = ['userpass', 'approle'] as const;
export type AuthMethodType = 'token' | (typeof authMethodTypes)[number];

// A method's lease settings in seconds (0 = the system's) and the token type it issues.
export interface AuthMethodConfig {
  default_lease_ttl: number;
  force_no_cache: boolean;
  max_lease_ttl: number;
  token_type: 'default-service' | 'service';
}

// One entry of the table, in Vault's `sys/auth` wire shape (keys in Go's order).
export interface AuthMethod {
  accessor: string;
  config: AuthMethodConfig;
  deprecation_status?: 'supported';
  description: string;
  external_entropy_access: boolean;
  local: boolean;
  options: Record<string, string> | null;
  plugin_version: '';
  running_plugin_version: string;
  running_sha256: '';
  seal_wrap: boolean;
  type: AuthMethodType;
  uuid: string;
}

// Method path (with trailing `/`) → method.
export type AuthTable = Record<string, AuthMethod>;

// Vault's system-wide lease TTLs (768h), which a method's 0 settings fall back to.
export const systemDefaultLeaseTtl = 768 * 3600;
export const systemMaxLeaseTtl = 768 * 3600;

const tableKey = 'sys/auth-methods';
const builtinVersion = 'v1.21.0+builtin.vault';

// Where a method keeps its configuration and its runtime state.
export function authConfigPrefix(method: AuthMethod): string {
  return `auth/${method.uuid}/`;
}
export function authStatePrefix(method: AuthMethod): string {
  return `sys/auth-state/${method.uuid}/`;
}

function tokenMethod(): AuthMethod {
  return {
    accessor: 'auth_token_5ec8e7a0',
    config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0, token_type: 'default-service' },
    description: 'token based credentials',
    external_entropy_access: false,
    local: false,
    options: null,
    plugin_version: '',
    running_plugin_version: builtinVersion,
    running_sha256: '',
    seal_wrap: false,
    type: 'token',
    uuid: '5ec8e7a0-0000-4000-8000-000000000002',
  };
}

// The table (only `token/` until a method is first enabled).
export function readAuthMethods(storage: Storage): AuthTable {
  const stored = storage.get(tableKey);
  return isJsonObject(stored) ? (stored as unknown as AuthTable) : { 'token/': tokenMethod() };
}

function writeAuthMethods(storage: Storage, table: AuthTable): void {
  storage.put(tableKey, table as unknown as JsonValue);
}

// A path under `auth/` resolved to the method serving it.
export interface AuthMethodMatch {
  /** The method path, with trailing `/`. */
  path: string;
  method: AuthMethod;
  /** What follows the method path: `login/alice`, `users/alice`, `role/ci/secret-id`. */
  rest: string;
}

// The method serving `path` (the part after `auth/`), longest path first; undefined when none.
export function findAuthMethod(table: AuthTable, path: string): AuthMethodMatch | undefined {
  const probe = path.endsWith('/') ? path : `${path}/`;
  let best: string | undefined;
  for (const methodPath of Object.keys(table)) {
    if (probe.startsWith(methodPath) && (best === undefined || methodPath.length > best.length)) best = methodPath;
  }
  const method = best === undefined ? undefined : table[best];
  if (best === undefined || method === undefined) return undefined;
  return { path: best, method, rest: path.slice(best.length) };
}

// What `sys/auth/<path>` and `sys/auth/<path>/tune` accept (Vault's api.EnableAuthOptions).
export interface EnableAuthInput {
  type?: unknown;
  description?: unknown;
  config?: unknown;
  options?: unknown;
  local?: unknown;
  seal_wrap?: unknown;
  external_entropy_access?: unknown;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

// A lease TTL of the method config: seconds, a duration string, or `system` (= 0).
function leaseTtl(value: unknown, field: string, label: string): number {
  if (value === undefined || value === null || value === '' || value === 'system') return 0;
  try {
    return decodeDurationSeconds(value, field, { signed: false });
  } catch {
    throw invalidRequest(`unable to parse ${label} TTL of ${typeof value === 'string' ? value : JSON.stringify(value)}: use seconds or a duration such as 24h`);
  }
}

function tokenType(value: unknown): AuthMethodConfig['token_type'] {
  if (value === undefined || value === null || value === '' || value === 'default-service') return 'default-service';
  if (value === 'service') return 'service';
  if (value === 'batch' || value === 'default-batch') {
    throw invalidRequest(`token_type "${value}" is not supported: secretrun issues service tokens (use "service" or "default-service")`);
  }
  throw invalidRequest("invalid value for 'token_type'");
}

function checkTtls(config: AuthMethodConfig): void {
  if (config.max_lease_ttl !== 0 && config.default_lease_ttl > config.max_lease_ttl) {
    throw invalidRequest('given default lease TTL greater than given max lease TTL');
  }
}

function checkOptions(raw: unknown, type: string): Record<string, string> | null {
  if (raw === undefined || raw === null) return null;
  const options: Record<string, string> = {};
  for (const [name, value] of Object.entries(decodeMap(raw, 'options'))) {
    if (value === null) continue;
    if (typeof value === 'object') throw invalidRequest(`options value for "${name}" must be a string`);
    options[name] = String(value);
  }
  if ((options['version'] ?? '') !== '') throw invalidRequest(`auth method "${type}" does not allow setting a version`);
  return Object.keys(options).length === 0 ? null : options;
}

// Enables a method at `path` (Vault `POST sys/auth/<path>`); the type names the method.
export function enableAuthMethod(storage: Storage, path: string, input: EnableAuthInput, random: RandomBytes): AuthMethod {
  const methodPath = normalizeMountPath(path);
  if (methodPath === '') throw invalidRequest('backend path must be specified');
  const type = typeof input.type === 'string' ? input.type : '';
  if (type === '') throw invalidRequest('backend type must be specified as a string');
  if (type === 'token') throw invalidRequest('token credential backend cannot be instantiated');
  if (!(authMethodTypes as readonly string[]).includes(type)) throw invalidRequest(`plugin not found in the catalog: ${type}`);
  const raw = isJsonObject(input.config) ? input.config : {};
  const config: AuthMethodConfig = {
    default_lease_ttl: leaseTtl(raw['default_lease_ttl'], 'default_lease_ttl', 'default'),
    force_no_cache: decodeBool(raw['force_no_cache'], 'force_no_cache'),
    max_lease_ttl: leaseTtl(raw['max_lease_ttl'], 'max_lease_ttl', 'max'),
    token_type: tokenType(raw['token_type']),
  };
  checkTtls(config);
  const options = checkOptions(input.options, type);
  const table = readAuthMethods(storage);
  for (const existing of Object.keys(table)) {
    if (methodPath.startsWith(existing) || existing.startsWith(methodPath)) throw invalidRequest(`path is already in use at ${existing}`);
  }
  const method: AuthMethod = {
    accessor: `auth_${type}_${hex(random(4))}`,
    config,
    deprecation_status: 'supported',
    description: typeof input.description === 'string' ? input.description : '',
    external_entropy_access: decodeBool(input.external_entropy_access, 'external_entropy_access'),
    local: decodeBool(input.local, 'local'),
    options,
    plugin_version: '',
    running_plugin_version: builtinVersion,
    running_sha256: '',
    seal_wrap: decodeBool(input.seal_wrap, 'seal_wrap'),
    type: type as AuthMethodType,
    uuid: buildUuid(random),
  };
  table[methodPath] = method;
  writeAuthMethods(storage, table);
  return method;
}

// Disables the method at `path` and deletes its users, roles and secret-ids (Vault
// `DELETE sys/auth/<path>`). False when nothing was enabled there (Vault answers 204 anyway).
export function disableAuthMethod(storage: Storage, path: string): boolean {
  const methodPath = normalizeMountPath(path);
  const table = readAuthMethods(storage);
  const method = table[methodPath];
  if (method === undefined) return false;
  if (method.type === 'token') throw invalidRequest('token credential backend cannot be disabled');
  for (const prefix of [authConfigPrefix(method), authStatePrefix(method)]) {
    for (const key of storage.list(prefix)) storage.delete(key);
  }
  delete table[methodPath];
  writeAuthMethods(storage, table);
  return true;
}

// What `sys/auth/<path>/tune` accepts.
export interface TuneAuthInput {
  description?: unknown;
  default_lease_ttl?: unknown;
  max_lease_ttl?: unknown;
  token_type?: unknown;
  options?: unknown;
}

// Changes a method's description, lease TTLs or token type (Vault `POST sys/auth/<path>/tune`).
export function tuneAuthMethod(storage: Storage, path: string, input: TuneAuthInput): AuthMethod {
  const methodPath = normalizeMountPath(path);
  const table = readAuthMethods(storage);
  const method = table[methodPath];
  if (method === undefined) throw new SecretrunError('invalid_request', `cannot fetch sysview for path "auth/${methodPath}"`);
  if (input.description !== undefined && input.description !== null) {
    if (typeof input.description !== 'string') throw invalidRequest('description must be a string');
    method.description = input.description;
  }
  const config = { ...method.config };
  if (input.default_lease_ttl !== undefined) config.default_lease_ttl = leaseTtl(input.default_lease_ttl, 'default_lease_ttl', 'default');
  if (input.max_lease_ttl !== undefined) config.max_lease_ttl = leaseTtl(input.max_lease_ttl, 'max_lease_ttl', 'max');
  if (input.token_type !== undefined && input.token_type !== '') config.token_type = tokenType(input.token_type);
  checkTtls(config);
  method.config = config;
  if (input.options !== undefined && input.options !== null) {
    const options = checkOptions(input.options, method.type);
    method.options = options === null && method.options === null ? null : { ...(method.options ?? {}), ...(options ?? {}) };
  }
  table[methodPath] = method;
  writeAuthMethods(storage, table);
  return method;
}

// The lease TTLs a method's tokens get: its own settings, else the system's (seconds).
export function effectiveLeaseTtls(method: AuthMethod): { defaultTtl: number; maxTtl: number } {
  return {
    defaultTtl: method.config.default_lease_ttl || systemDefaultLeaseTtl,
    maxTtl: method.config.max_lease_ttl || systemMaxLeaseTtl,
  };
}
