import { createHmac } from 'node:crypto';
import { invalidRequest } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';
import { decodeBool, decodeDurationSeconds, decodeInt, given } from '../kv/field-decode.js';
import type { Storage } from '../store/storage.js';
import { authConfigPrefix, authStatePrefix, type AuthMethod } from '../sys/auth-methods.js';
import { parseCidrList } from './bound-cidrs.js';
import { decodeCommaList, emptyTokenParams, parseTokenFields, renderTokenData, sanitizePolicies, type TokenParams } from './token-params.js';

// The AppRole method's roles (Vault's builtin/credential/approle): each has a role_id (a
// username of sorts, in the committed store) and issues secret-ids (the password half, runtime
// state under `sys/auth-state/`, never in the committed store). Storage keys never hold a
// role_id or a secret_id: they are HMAC'd, with a per-method salt and a per-role key kept in
// encrypted values, because key names are visible in the store file.

export interface RoleEntry extends TokenParams {
  role_id: string;
  /** Key of the HMAC that names this role's secret-ids in storage. */
  hmac_key: string;
  bind_secret_id: boolean;
  secret_id_bound_cidrs: string[];
  secret_id_num_uses: number;
  secret_id_ttl: number;
  local_secret_ids: boolean;
  /** Legacy mirrors of token_policies and token_period, shown on a read when written. */
  policies: string[];
  period: number;
}

// One issued secret-id (its HMAC names it; the secret-id itself is not kept).
export interface SecretIdEntry {
  role: string;
  accessor: string;
  cidr_list: string[];
  token_bound_cidrs: string[];
  metadata: Record<string, string>;
  secret_id_num_uses: number;
  secret_id_ttl: number;
  /** Milliseconds since the epoch; expiration_ms null = never expires. */
  creation_ms: number;
  expiration_ms: number | null;
  last_updated_ms: number;
}

// The fields of `role/<name>` besides the token fields.
export const roleFields = ['role_name', 'bind_secret_id', 'secret_id_bound_cidrs', 'bound_cidr_list', 'secret_id_num_uses', 'secret_id_ttl', 'local_secret_ids', 'policies', 'period', 'role_id'] as const;

// Vault's framework.GenericNameRegex; role names are case-insensitive (stored lower-cased).
const namePattern = /^\w(?:[\w.-]*\w)?$/;

export function normalizeRoleName(name: string): string | undefined {
  return namePattern.test(name) && name.length < 4096 ? name.toLowerCase() : undefined;
}

function hmac(key: string, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

const rolePath = (method: AuthMethod, name: string): string => `${authConfigPrefix(method)}role/${name}`;
const saltKey = (method: AuthMethod): string => `${authConfigPrefix(method)}salt`;
const secretIdPrefix = (method: AuthMethod, role: string): string => `${authStatePrefix(method)}secret-id/${role}/`;
const accessorKey = (method: AuthMethod, accessor: string): string => `${authStatePrefix(method)}accessor/${accessor}`;

// The method's salt for role_id index keys, made on first use.
function methodSalt(storage: Storage, method: AuthMethod, fresh: () => string): string {
  const stored = storage.get(saltKey(method));
  if (typeof stored === 'string') return stored;
  const salt = fresh();
  storage.put(saltKey(method), salt);
  return salt;
}

function roleIdKey(storage: Storage, method: AuthMethod, roleId: string, fresh: () => string): string {
  return `${authConfigPrefix(method)}role-id/${hmac(methodSalt(storage, method, fresh), roleId)}`;
}

export function readRole(storage: Storage, method: AuthMethod, name: string): RoleEntry | undefined {
  return storage.get(rolePath(method, name)) as unknown as RoleEntry | undefined;
}

export function listRoles(storage: Storage, method: AuthMethod): string[] {
  const prefix = `${authConfigPrefix(method)}role/`;
  return storage.list(prefix).map((key) => key.slice(prefix.length));
}

// The role a role_id belongs to, or undefined.
export function findRoleById(storage: Storage, method: AuthMethod, roleId: string): string | undefined {
  const salt = storage.get(saltKey(method));
  if (typeof salt !== 'string') return undefined;
  const entry = storage.get(`${authConfigPrefix(method)}role-id/${hmac(salt, roleId)}`) as { name?: unknown } | undefined;
  return typeof entry?.name === 'string' ? entry.name : undefined;
}

// Stores a role, moving its role_id index when the role_id changed; refuses a role_id in use.
export function writeRole(storage: Storage, method: AuthMethod, name: string, role: RoleEntry, previous: RoleEntry | undefined, fresh: () => string): void {
  if (previous?.role_id !== role.role_id) {
    const owner = findRoleById(storage, method, role.role_id);
    if (owner !== undefined && owner !== name) throw invalidRequest('role_id already in use');
    if (previous !== undefined) storage.delete(roleIdKey(storage, method, previous.role_id, fresh));
    storage.put(roleIdKey(storage, method, role.role_id, fresh), { name });
  }
  storage.put(rolePath(method, name), role as unknown as JsonValue);
}

// Deletes a role with its role_id index and every secret-id it issued.
export function deleteRole(storage: Storage, method: AuthMethod, name: string, fresh: () => string): void {
  const role = readRole(storage, method, name);
  if (role === undefined) return;
  for (const key of storage.list(secretIdPrefix(method, name))) {
    const entry = storage.get(key) as unknown as SecretIdEntry | undefined;
    if (entry !== undefined) storage.delete(accessorKey(method, entry.accessor));
    storage.delete(key);
  }
  storage.delete(roleIdKey(storage, method, role.role_id, fresh));
  storage.delete(rolePath(method, name));
}

// A role before anything is written to it: bind_secret_id on, as Vault's default.
export function emptyRole(roleId: string, hmacKey: string): RoleEntry {
  return {
    ...emptyTokenParams(),
    role_id: roleId,
    hmac_key: hmacKey,
    bind_secret_id: true,
    secret_id_bound_cidrs: [],
    secret_id_num_uses: 0,
    secret_id_ttl: 0,
    local_secret_ids: false,
    policies: [],
    period: 0,
  };
}

// Applies a write of `role/<name>` over `role` (path_role.go pathRoleCreateUpdate).
export function applyRoleWrite(role: RoleEntry, input: JsonObject): RoleEntry {
  const next: RoleEntry = { ...role, ...parseTokenFields(input, role) };
  const has = (name: string): boolean => given(input, name);
  if (has('bind_secret_id')) next.bind_secret_id = decodeBool(input['bind_secret_id'], 'bind_secret_id');
  if (has('secret_id_bound_cidrs')) next.secret_id_bound_cidrs = parseCidrList(decodeCommaList(input['secret_id_bound_cidrs'], 'secret_id_bound_cidrs'), 'secret_id_bound_cidrs');
  else if (has('bound_cidr_list')) next.secret_id_bound_cidrs = parseCidrList(decodeCommaList(input['bound_cidr_list'], 'bound_cidr_list'), 'bound_cidr_list');
  if (has('secret_id_num_uses')) {
    next.secret_id_num_uses = decodeInt(input['secret_id_num_uses'], 'secret_id_num_uses');
    if (next.secret_id_num_uses < 0) throw invalidRequest('secret_id_num_uses cannot be negative');
  }
  if (has('secret_id_ttl')) next.secret_id_ttl = decodeDurationSeconds(input['secret_id_ttl'], 'secret_id_ttl', { signed: false });
  if (has('role_id')) {
    const roleId = typeof input['role_id'] === 'string' ? input['role_id'].trim() : '';
    if (roleId === '') throw invalidRequest('missing role_id');
    next.role_id = roleId;
  }
  if (!has('token_policies')) {
    if (has('policies')) next.policies = next.token_policies = sanitizePolicies(decodeCommaList(input['policies'], 'policies'));
  } else next.policies = has('policies') ? next.token_policies : [];
  if (!has('token_period')) {
    if (has('period')) next.period = next.token_period = decodeDurationSeconds(input['period'], 'period', { signed: false });
  } else next.period = has('period') ? next.token_period : 0;
  if (!next.bind_secret_id && next.secret_id_bound_cidrs.length === 0 && next.token_bound_cidrs.length === 0) {
    throw invalidRequest('at least one constraint should be enabled on the role');
  }
  return next;
}

// A read of `role/<name>` (pathRoleRead): never the role_id or the HMAC key.
export function renderRole(role: RoleEntry): JsonObject {
  const data: JsonObject = {
    bind_secret_id: role.bind_secret_id,
    local_secret_ids: role.local_secret_ids,
    secret_id_bound_cidrs: role.secret_id_bound_cidrs,
    secret_id_num_uses: role.secret_id_num_uses,
    secret_id_ttl: role.secret_id_ttl,
    ...renderTokenData(role),
  };
  if (role.period > 0) data['period'] = role.period;
  if (role.policies.length > 0) data['policies'] = role.token_policies;
  return data;
}

// The storage key of a secret-id of `role`.
function secretIdKey(method: AuthMethod, roleName: string, role: RoleEntry, secretId: string): string {
  return `${secretIdPrefix(method, roleName)}${hmac(role.hmac_key, secretId)}`;
}

// A secret-id of `roleName` found by its value: its entry and where it is stored.
export function findSecretId(storage: Storage, method: AuthMethod, roleName: string, role: RoleEntry, secretId: string): { key: string; entry: SecretIdEntry } | undefined {
  const key = secretIdKey(method, roleName, role, secretId);
  const entry = storage.get(key) as unknown as SecretIdEntry | undefined;
  return entry === undefined ? undefined : { key, entry };
}

export function writeSecretId(storage: Storage, method: AuthMethod, roleName: string, role: RoleEntry, secretId: string, entry: SecretIdEntry): void {
  const key = secretIdKey(method, roleName, role, secretId);
  storage.put(key, entry as unknown as JsonValue);
  storage.put(accessorKey(method, entry.accessor), { role: roleName, key });
}

export function deleteSecretId(storage: Storage, method: AuthMethod, roleName: string, role: RoleEntry, secretId: string): void {
  const key = secretIdKey(method, roleName, role, secretId);
  const entry = storage.get(key) as unknown as SecretIdEntry | undefined;
  if (entry !== undefined) storage.delete(accessorKey(method, entry.accessor));
  storage.delete(key);
}

// A secret-id of `roleName` found by its accessor: its entry and where it is stored.
export function findSecretIdByAccessor(storage: Storage, method: AuthMethod, roleName: string, accessor: string): { key: string; entry: SecretIdEntry } | undefined {
  const index = storage.get(accessorKey(method, accessor)) as { role?: unknown; key?: unknown } | undefined;
  if (index?.role !== roleName || typeof index.key !== 'string') return undefined;
  const entry = storage.get(index.key) as unknown as SecretIdEntry | undefined;
  return entry === undefined ? undefined : { key: index.key, entry };
}

// Deletes a secret-id found by its accessor.
export function deleteSecretIdByAccessor(storage: Storage, method: AuthMethod, roleName: string, accessor: string): boolean {
  const found = findSecretIdByAccessor(storage, method, roleName, accessor);
  if (found === undefined) return false;
  storage.delete(found.key);
  storage.delete(accessorKey(method, accessor));
  return true;
}

// The accessors of a role's secret-ids (LIST role/<name>/secret-id).
export function listSecretIdAccessors(storage: Storage, method: AuthMethod, roleName: string): string[] {
  return storage
    .list(secretIdPrefix(method, roleName))
    .map((key) => (storage.get(key) as unknown as SecretIdEntry | undefined)?.accessor)
    .filter((accessor): accessor is string => typeof accessor === 'string')
    .sort();
}

// Spends one use of a found secret-id: the last use deletes it (and its accessor).
export function spendSecretId(storage: Storage, method: AuthMethod, found: { key: string; entry: SecretIdEntry }, now: number): void {
  const { key, entry } = found;
  if (entry.secret_id_num_uses === 0) return;
  if (entry.secret_id_num_uses === 1) {
    storage.delete(key);
    storage.delete(accessorKey(method, entry.accessor));
    return;
  }
  storage.put(key, { ...entry, secret_id_num_uses: entry.secret_id_num_uses - 1, last_updated_ms: now } as unknown as JsonValue);
}

// A read of a secret-id (lookup by secret_id or by accessor).
export function renderSecretId(entry: SecretIdEntry): JsonObject {
  const time = (ms: number | null): string => (ms === null ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString());
  return {
    cidr_list: entry.cidr_list,
    creation_time: time(entry.creation_ms),
    expiration_time: time(entry.expiration_ms),
    last_updated_time: time(entry.last_updated_ms),
    metadata: entry.metadata,
    secret_id_accessor: entry.accessor,
    secret_id_num_uses: entry.secret_id_num_uses,
    secret_id_ttl: entry.secret_id_ttl,
    token_bound_cidrs: entry.token_bound_cidrs,
  };
}

// Is a secret-id past its TTL at `now`?
export function isSecretIdExpired(entry: SecretIdEntry, now: number): boolean {
  return entry.expiration_ms !== null && entry.expiration_ms <= now;
}
