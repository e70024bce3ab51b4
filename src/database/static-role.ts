import { SecretrunError, invalidRequest } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { formatGoTime } from '../go/time-format.js';
import { nextCronTime, parseCronSchedule } from './cron-schedule.js';
import { checkCredentialType } from './database-role.js';
import { decodeSeconds, decodeString, decodeStringSlice, given, pick } from './role-fields.js';

// A static role (`database/static-roles/<name>`): one existing database user whose password the
// engine changes every rotation_period. The role is a person's decision (committed store); its
// current password and last rotation churn on schedule (runtime state, StaticAccount).

// The stored role.
export interface StaticRole {
  db_name: string;
  username: string;
  /** Seconds; 0 when the role rotates on a schedule. */
  rotation_period: number;
  /** Cron schedule (UTC); '' when the role rotates every rotation_period. */
  rotation_schedule?: string;
  /** Seconds after a scheduled time during which the rotation may still run; 0: any time. */
  rotation_window?: number;
  rotation_statements: string[];
  credential_type: 'password';
}

// The account's runtime state.
export interface StaticAccount {
  password: string;
  /** ms since the epoch. */
  last_vault_rotation: number;
  /** Set while a rotation changes the password; left behind only by one that was interrupted. */
  pending_password?: string;
}

// Vault's queue tick: a shorter period could not be honoured.
const minimumPeriodSeconds = 5;
// Vault's shortest rotation window.
const minimumWindowSeconds = 3600;

// The role a write makes of the request and the current role (undefined: a create).
export function buildStaticRole(current: StaticRole | undefined, input: JsonObject): StaticRole {
  const dbName = pick(input, 'db_name', current?.db_name, decodeString, '');
  if (dbName === '') throw invalidRequest('database name is a required field');
  const username = typeof input['username'] === 'string' ? input['username'] : current?.username ?? '';
  if (username === '') throw invalidRequest('username is a required field to create a static account');
  if (current !== undefined && current.username !== username) throw invalidRequest('cannot update static account username');
  const periodGiven = input['rotation_period'] !== undefined && input['rotation_period'] !== null && input['rotation_period'] !== '';
  const scheduleGiven = typeof input['rotation_schedule'] === 'string' && input['rotation_schedule'] !== '';
  if (periodGiven && scheduleGiven) {
    throw invalidRequest('mutually exclusive fields rotation_period and rotation_schedule were both specified; only one of them can be provided');
  }
  if (!periodGiven && !scheduleGiven && current === undefined) throw invalidRequest('one of rotation_schedule or rotation_period must be provided');
  // Giving one of the two replaces the other.
  const usesSchedule = scheduleGiven || (!periodGiven && (current?.rotation_schedule ?? '') !== '');
  let period = 0;
  let schedule = '';
  let window = 0;
  if (usesSchedule) {
    schedule = scheduleGiven ? String(input['rotation_schedule']) : current?.rotation_schedule ?? '';
    parseCronSchedule(schedule);
    window = pick(input, 'rotation_window', current?.rotation_window, decodeSeconds, 0);
    if (window !== 0 && window < minimumWindowSeconds) throw invalidRequest(`rotation_window must be ${minimumWindowSeconds} seconds or more`);
  } else {
    if (given(input, 'rotation_window')) throw invalidRequest('rotation_window is invalid with use of rotation_period');
    period = pick(input, 'rotation_period', current?.rotation_period, decodeSeconds, 0);
    if (period < minimumPeriodSeconds) throw invalidRequest(`rotation_period must be ${minimumPeriodSeconds} seconds or more`);
  }
  return {
    db_name: dbName,
    username,
    rotation_period: period,
    ...(usesSchedule ? { rotation_schedule: schedule, rotation_window: window } : {}),
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

// When the account is next rotated after `from` (ms; its last rotation by default): a period
// after it, or the schedule's next time (far away for a schedule that names none).
export function nextRotation(role: StaticRole, account: StaticAccount, from = account.last_vault_rotation): number {
  if (role.rotation_schedule === undefined || role.rotation_schedule === '') return from + role.rotation_period * 1000;
  return nextCronTime(parseCronSchedule(role.rotation_schedule), from) ?? from + 5 * 366 * 86_400_000;
}

// Whether a rotation scheduled at `scheduledAt` and run at `now` missed its window (Vault then
// waits for the next scheduled time instead of rotating late).
export function missedWindow(role: StaticRole, scheduledAt: number, now: number): boolean {
  const window = role.rotation_window ?? 0;
  if (window === 0 || (role.rotation_schedule ?? '') === '') return false;
  return now > scheduledAt + window * 1000;
}

// The rotation fields a read shows: the period, or the schedule and its window.
function rotationFields(role: StaticRole): JsonObject {
  if ((role.rotation_schedule ?? '') === '') return { rotation_period: role.rotation_period };
  const fields: JsonObject = { rotation_schedule: role.rotation_schedule ?? '' };
  if ((role.rotation_window ?? 0) !== 0) fields['rotation_window'] = role.rotation_window ?? 0;
  return fields;
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
    ...rotationFields(role),
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
    ...rotationFields(role),
    ttl: credentialTtl(role, account, now),
    username: role.username,
  };
}
