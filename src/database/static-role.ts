import { SecretrunError, invalidRequest } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { formatGoTime } from '../go/time-format.js';
import { checkCredentialType } from './database-role.js';
import { decodeSeconds, decodeString, decodeStringSlice, pick } from './role-fields.js';

// A static role (`database/static-roles/<name>`): one existing database user whose password the
// engine changes every rotation_period. The role is a person's decision (committed store); its
// current password and last rotation churn on schedule (runtime state, StaticAccount).

// The stored role.
export interface StaticRole {
  db_name: string;
  username: string;
  /** Seconds. */
  rotation_period: number;
  rotation_statements: string[];
  credential_type: 'password';
}

// The account's runtime state.
export interface StaticAccount {
  password: string;
  /** ms since the epoch. */
  last_vault_rotation: number;
}

// Vault's queue tick: a shorter period could not be honoured.
const minimumPeriodSeconds = 5;

// The role a write makes of the request and the current role (undefined: a create).
export function buildStaticRole(current: StaticRole | undefined, input: JsonObject): StaticRole {
  const dbName = pick(input, 'db_name', current?.db_name, decodeString, '');
  if (dbName === '') throw invalidRequest('database name is a required field');
  const username = typeof input['username'] === 'string' ? input['username'] : current?.username ?? '';
  if (username === '') throw invalidRequest('username is a required field to create a static account');
  if (current !== undefined && current.username !== username) throw invalidRequest('cannot update static account username');
  if (input['rotation_schedule'] !== undefined && input['rotation_schedule'] !== '') {
    throw new SecretrunError('invalid_request', 'rotation_schedule is not supported by secretrun yet', { hint: 'use rotation_period (e.g. rotation_period=24h)' });
  }
  if (input['rotation_period'] === undefined && current === undefined) throw invalidRequest('one of rotation_schedule or rotation_period must be provided');
  const period = pick(input, 'rotation_period', current?.rotation_period, decodeSeconds, 0);
  if (period < minimumPeriodSeconds) throw invalidRequest(`rotation_period must be ${minimumPeriodSeconds} seconds or more`);
  return {
    db_name: dbName,
    username,
    rotation_period: period,
    rotation_statements: pick(input, 'rotation_statements', current?.rotation_statements, decodeStringSlice, []),
    credential_type: checkCredentialType(input['credential_type']),
  };
}

// A stored static role, or undefined.
export function parseStaticRole(value: JsonValue | undefined): StaticRole | undefined {
  return isJsonObject(value) && typeof value['username'] === 'string' && typeof value['rotation_period'] === 'number' ? (value as unknown as StaticRole) : undefined;
}

// A stored account state, or undefined.
export function parseStaticAccount(value: JsonValue | undefined): StaticAccount | undefined {
  return isJsonObject(value) && typeof value['password'] === 'string' && typeof value['last_vault_rotation'] === 'number' ? (value as unknown as StaticAccount) : undefined;
}

// When the account is next rotated (ms).
export function nextRotation(role: StaticRole, account: StaticAccount): number {
  return account.last_vault_rotation + role.rotation_period * 1000;
}

// Seconds until the next rotation, never negative (StaticAccount.CredentialTTL).
export function credentialTtl(role: StaticRole, account: StaticAccount, now: number): number {
  return Math.max(0, Math.round((nextRotation(role, account) - now) / 1000));
}

// Vault's time.Time JSON (RFC 3339 with nanoseconds, UTC here).
export function renderTime(epochMs: number): string {
  return formatGoTime(epochMs, '2006-01-02T15:04:05.999999999Z07:00');
}

// What `read database/static-roles/<name>` shows.
export function renderStaticRole(role: StaticRole, account: StaticAccount | undefined, now: number): JsonObject {
  const data: JsonObject = {
    credential_type: role.credential_type,
    db_name: role.db_name,
    rotation_period: role.rotation_period,
    rotation_statements: role.rotation_statements,
    username: role.username,
  };
  if (account !== undefined) {
    data['last_vault_rotation'] = renderTime(account.last_vault_rotation);
    data['ttl'] = credentialTtl(role, account, now);
  }
  return data;
}

// What `read database/static-creds/<name>` shows.
export function renderStaticCreds(role: StaticRole, account: StaticAccount, now: number): JsonObject {
  return {
    last_vault_rotation: renderTime(account.last_vault_rotation),
    password: account.password,
    rotation_period: role.rotation_period,
    ttl: credentialTtl(role, account, now),
    username: role.username,
  };
}
