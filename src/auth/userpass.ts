import { invalidRequest } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';
import { decodeDurationSeconds, given } from '../kv/field-decode.js';
import type { Storage } from '../store/storage.js';
import { authConfigPrefix, type AuthMethod } from '../sys/auth-methods.js';
import { parseCidrList } from './bound-cidrs.js';
import { decodeCommaList, emptyTokenParams, parseTokenFields, renderTokenData, sanitizePolicies, type TokenParams } from './token-params.js';

// The userpass method's users (Vault's builtin/credential/userpass): a password hash and the
// token settings a login gets, under `auth/<method uuid>/user/<name>` in the committed store.
// Usernames are lower-cased. The password itself is never stored; hashing is the caller's
// (password-hash.ts, outside any transaction). The legacy names `policies`, `ttl`, `max_ttl`
// and `bound_cidrs` are accepted and mirrored as Vault's tokenutil.UpgradeValue does.

export interface UserEntry extends TokenParams {
  password_hash: string;
  /** Legacy mirrors, kept so a read shows them when they were written. */
  policies: string[];
  ttl: number;
  max_ttl: number;
  bound_cidrs: string[];
}

// The fields of `users/<name>` (the token fields, the password and the legacy names).
export const userFields = ['username', 'password', 'policies', 'ttl', 'max_ttl', 'bound_cidrs'] as const;

// Vault's framework.GenericNameWithAtRegex: what a username may look like.
const namePattern = /^\w(?:[\w.@-]*\w)?$/;

// A username as stored (lower case), or undefined when it cannot name a user.
export function normalizeUsername(name: string): string | undefined {
  return namePattern.test(name) ? name.toLowerCase() : undefined;
}

function userKey(method: AuthMethod, name: string): string {
  return `${authConfigPrefix(method)}user/${name}`;
}

// A user, or undefined when there is none.
export function readUser(storage: Storage, method: AuthMethod, name: string): UserEntry | undefined {
  const stored = storage.get(userKey(method, name)) as unknown as UserEntry | undefined;
  return stored === undefined ? undefined : { ...emptyUser(''), ...stored };
}

export function writeUser(storage: Storage, method: AuthMethod, name: string, user: UserEntry): void {
  storage.put(userKey(method, name), user as unknown as JsonValue);
}

export function deleteUser(storage: Storage, method: AuthMethod, name: string): void {
  storage.delete(userKey(method, name));
}

// The usernames of a method, in Go's order.
export function listUsers(storage: Storage, method: AuthMethod): string[] {
  const prefix = `${authConfigPrefix(method)}user/`;
  return storage.list(prefix).map((key) => key.slice(prefix.length));
}

export function emptyUser(passwordHash: string): UserEntry {
  return { ...emptyTokenParams(), password_hash: passwordHash, policies: [], ttl: 0, max_ttl: 0, bound_cidrs: [] };
}

// Applies a write of `users/<name>` (everything but the password) over `user`. Each legacy
// name and its current one follow tokenutil.UpgradeValue: the current name wins and clears the
// legacy mirror unless both were written; the legacy name alone sets both.
export function applyUserWrite(user: UserEntry, input: JsonObject): UserEntry {
  const next: UserEntry = { ...user, ...parseTokenFields(input, user) };
  const has = (name: string): boolean => given(input, name);
  if (!has('token_policies')) {
    if (has('policies')) next.policies = next.token_policies = sanitizePolicies(decodeCommaList(input['policies'], 'policies'));
  } else next.policies = has('policies') ? next.token_policies : [];
  if (!has('token_ttl')) {
    if (has('ttl')) next.ttl = next.token_ttl = decodeDurationSeconds(input['ttl'], 'ttl', { signed: false });
  } else next.ttl = has('ttl') ? next.token_ttl : 0;
  if (!has('token_max_ttl')) {
    if (has('max_ttl')) next.max_ttl = next.token_max_ttl = decodeDurationSeconds(input['max_ttl'], 'max_ttl', { signed: false });
  } else next.max_ttl = has('max_ttl') ? next.token_max_ttl : 0;
  if (!has('token_bound_cidrs')) {
    if (has('bound_cidrs')) next.bound_cidrs = next.token_bound_cidrs = parseCidrList(decodeCommaList(input['bound_cidrs'], 'bound_cidrs'), 'bound_cidrs');
  } else next.bound_cidrs = has('bound_cidrs') ? next.token_bound_cidrs : [];
  if (next.token_ttl > 0 && next.token_max_ttl > 0 && next.token_ttl > next.token_max_ttl) {
    throw invalidRequest("'token_ttl' cannot be greater than 'token_max_ttl'");
  }
  return next;
}

// `users/<name>/policies`: only the policies change (path_user_policies.go).
export function applyUserPolicies(user: UserEntry, input: JsonObject): UserEntry {
  const next = { ...user };
  if (given(input, 'token_policies')) {
    next.token_policies = sanitizePolicies(decodeCommaList(input['token_policies'], 'token_policies'));
    next.policies = given(input, 'policies') ? next.token_policies : [];
  } else if (given(input, 'policies')) {
    next.policies = sanitizePolicies(decodeCommaList(input['policies'], 'policies'));
    next.token_policies = next.policies;
  }
  return next;
}

// A read of `users/<name>`: the token settings and the legacy mirrors that are set — never the hash.
export function renderUser(user: UserEntry): JsonObject {
  const data = renderTokenData(user);
  if (user.ttl > 0) data['ttl'] = user.ttl;
  if (user.max_ttl > 0) data['max_ttl'] = user.max_ttl;
  if (user.policies.length > 0) data['policies'] = data['token_policies'] ?? [];
  if (user.bound_cidrs.length > 0) data['bound_cidrs'] = user.bound_cidrs;
  return data;
}
