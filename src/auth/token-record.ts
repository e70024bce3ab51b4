import type { Storage } from '../store/storage.js';
import type { JsonObject, JsonValue } from '../json.js';
import { goStruct } from '../go/json.js';
import { sortGoStrings } from '../go/string-order.js';
import { buildRandomId, buildToken, hashesEqual, hashToken, type RandomBytes } from './token-id.js';

// What the store keeps about one token, under `sys/token/id/<sha256 of the token>`. The token
// itself is never stored; `hash` is repeated inside so a lookup compares it in constant time.
export interface TokenRecord {
  hash: string;
  accessor: string;
  /** Sorted; `["root"]` for root tokens. */
  policies: string[];
  display_name: string;
  /** The path that created it: `auth/token/root`, `auth/token/create`. */
  path: string;
  /** Milliseconds since the epoch. */
  created_ms: number;
  /** Seconds the token lived for when created; 0 = never expires. */
  creation_ttl: number;
  /** Milliseconds since the epoch; null = never expires. */
  expire_ms: number | null;
  /** Seconds; 0 = no cap on renewals. */
  explicit_max_ttl: number;
  renewable: boolean;
  meta: Record<string, string> | null;
  orphan: boolean;
}

// A request's authenticated caller: the token as presented and its record.
export interface Caller {
  token: string;
  record: TokenRecord;
}

const tokenPrefix = 'sys/token/id/';

// The storage key of a token's record.
export function tokenStorageKey(hash: string): string {
  return `${tokenPrefix}${hash}`;
}

// Is this token a root token (policy `root`)?
export function isRoot(record: TokenRecord): boolean {
  return record.policies.includes('root');
}

// The live record of `token`, or undefined when it is unknown or expired.
export function readTokenRecord(storage: Storage, token: string, now: number): TokenRecord | undefined {
  const hash = hashToken(token);
  const stored = storage.get(tokenStorageKey(hash)) as unknown as TokenRecord | undefined;
  if (stored === undefined || typeof stored.hash !== 'string' || !hashesEqual(stored.hash, hash)) return undefined;
  if (stored.expire_ms !== null && stored.expire_ms <= now) return undefined;
  return stored;
}

// Stores (or replaces) a token's record.
export function writeTokenRecord(storage: Storage, record: TokenRecord): void {
  storage.put(tokenStorageKey(record.hash), record as unknown as JsonValue);
}

// Forgets a token.
export function deleteTokenRecord(storage: Storage, record: TokenRecord): void {
  storage.delete(tokenStorageKey(record.hash));
}

// Does the store hold any live root token? (Server start-up creates one when it does not.)
export function hasRootToken(storage: Storage, now: number): boolean {
  return storage.list(tokenPrefix).some((key) => {
    const record = storage.get(key) as unknown as TokenRecord | undefined;
    return record !== undefined && isRoot(record) && (record.expire_ms === null || record.expire_ms > now);
  });
}

// What a new token should be.
export interface NewToken {
  /** Use this token string instead of a random one (`-dev-root-token-id`). */
  id?: string;
  policies: string[];
  displayName: string;
  path: string;
  /** Seconds; 0 = never expires. */
  ttl: number;
  explicitMaxTtl?: number;
  renewable: boolean;
  meta?: Record<string, string> | null;
}

// Creates a token and stores its record; the token string is returned and nowhere kept.
export function createToken(storage: Storage, input: NewToken, clock: { now: number; random: RandomBytes }): Caller {
  const token = input.id ?? buildToken(clock.random);
  const record: TokenRecord = {
    hash: hashToken(token),
    accessor: buildRandomId(clock.random, 24),
    policies: sortGoStrings(new Set(input.policies)),
    display_name: input.displayName,
    path: input.path,
    created_ms: clock.now,
    creation_ttl: input.ttl,
    expire_ms: input.ttl > 0 ? clock.now + input.ttl * 1000 : null,
    explicit_max_ttl: input.explicitMaxTtl ?? 0,
    renewable: input.renewable && input.ttl > 0,
    meta: input.meta ?? null,
    orphan: true,
  };
  writeTokenRecord(storage, record);
  return { token, record };
}

// Creates a root token that never expires (server start-up, `-dev-root-token-id`).
export function createRootToken(storage: Storage, clock: { now: number; random: RandomBytes }, id?: string): Caller {
  return createToken(storage, { ...(id === undefined ? {} : { id }), policies: ['root'], displayName: 'root', path: 'auth/token/root', ttl: 0, renewable: false }, clock);
}

// Seconds left before the token expires; 0 for tokens that never expire.
export function remainingTtl(record: TokenRecord, now: number): number {
  return record.expire_ms === null ? 0 : Math.max(0, Math.floor((record.expire_ms - now) / 1000));
}

// The `auth` block of a login, create or renew response, in Vault's field order.
export interface TokenAuthBlock {
  client_token: string;
  accessor: string;
  policies: string[];
  token_policies: string[];
  metadata: Record<string, string> | null;
  lease_duration: number;
  renewable: boolean;
  entity_id: string;
  token_type: 'service';
  orphan: boolean;
  mfa_requirement: null;
  num_uses: number;
}

// Builds the `auth` block for a caller.
export function renderAuthBlock(caller: Caller, now: number): TokenAuthBlock {
  const { record } = caller;
  return goStruct({
    client_token: caller.token,
    accessor: record.accessor,
    policies: record.policies,
    token_policies: record.policies,
    metadata: record.meta,
    lease_duration: remainingTtl(record, now),
    renewable: record.renewable,
    entity_id: '',
    token_type: 'service',
    orphan: record.orphan,
    mfa_requirement: null,
    num_uses: 0,
  });
}

// `data` of `auth/token/lookup-self` (keys sorted, as Go encodes a map).
export function renderTokenLookup(caller: Caller, now: number): JsonObject {
  const { record } = caller;
  const data: JsonObject = {
    accessor: record.accessor,
    creation_time: Math.floor(record.created_ms / 1000),
    creation_ttl: record.creation_ttl,
    display_name: record.display_name,
    entity_id: '',
    expire_time: record.expire_ms === null ? null : new Date(record.expire_ms).toISOString(),
    explicit_max_ttl: record.explicit_max_ttl,
    id: caller.token,
  };
  if (record.expire_ms !== null) data['issue_time'] = new Date(record.created_ms).toISOString();
  Object.assign(data, {
    meta: record.meta,
    num_uses: 0,
    orphan: record.orphan,
    path: record.path,
    policies: record.policies,
  });
  if (record.expire_ms !== null) data['renewable'] = record.renewable;
  Object.assign(data, { ttl: remainingTtl(record, now), type: 'service' });
  return data;
}
