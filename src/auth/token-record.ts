import type { JsonValue } from '../json.js';
import { isJsonObject } from '../json.js';
import type { Storage } from '../store/storage.js';
import { hashesEqual, hashToken } from './token-id.js';

// What the store keeps about one token (Vault's TokenEntry and its lease together), under
// `sys/token/id/<sha256 of the token>`: runtime state, routed to the git-ignored state file.
// The token itself is never stored; `hash` is repeated inside so a lookup compares it in
// constant time. Durations are whole seconds, 0 meaning "not set"; times are ms since the epoch.
export interface TokenRecord {
  hash: string;
  accessor: string;
  /** Sorted; `["root"]` for root tokens. */
  policies: string[];
  display_name: string;
  /** The path that created it: `auth/token/root`, `auth/token/create`, `auth/userpass/login/alice`. */
  path: string;
  meta: Record<string, string> | null;
  created_ms: number;
  /** The TTL the token was created with (Vault's te.TTL, `creation_ttl`); 0 = never expires. */
  ttl: number;
  /** When its lease was issued; null for tokens without a lease (the bootstrap root tokens). */
  issue_ms: number | null;
  /** null = never expires. */
  expire_ms: number | null;
  /** The TTL of the last grant (creation, login or renewal): what a renewal without increment asks for. */
  lease_ttl: number;
  renewable: boolean;
  last_renewal_ms: number | null;
  explicit_max_ttl: number;
  /** An auth method's cap on renewals (a user's `token_max_ttl`). */
  max_ttl: number;
  period: number;
  /** Uses left; 0 = unlimited, -1 = spent, being revoked (Vault's tokenRevocationPending). */
  num_uses: number;
  /** The parent token's hash; null for an orphan. */
  parent: string | null;
  /** Addresses the token may be used from (CIDRs); empty = anywhere. */
  bound_cidrs: string[];
}

// A request's authenticated caller: the token as presented and its record (after this request's
// use of a use-limited token was spent), with what the handler and the routes need to know.
export interface Caller {
  token: string;
  record: TokenRecord;
  /** The token has a use limit, so each request through the handler spends one use. */
  useLimited?: boolean;
  /** Met in a read: the use could not be spent there; the handler runs the request as a transaction. */
  needsTransaction?: boolean;
  /** Set by authorisation: the rule governing the request's path grants sudo (Vault's SudoPrivilege). */
  sudo?: boolean;
}

export const tokenIdPrefix = 'sys/token/id/';

// The storage key of a token's record.
export function tokenStorageKey(hash: string): string {
  return `${tokenIdPrefix}${hash}`;
}

// Is this token a root token (policy `root`)?
export function isRoot(record: TokenRecord): boolean {
  return record.policies.includes('root');
}

const num = (value: JsonValue | undefined, fallback: number): number => (typeof value === 'number' ? value : fallback);
const numOrNull = (value: JsonValue | undefined): number | null => (typeof value === 'number' ? value : null);
const strings = (value: JsonValue | undefined): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

// Is this stored value a record in the current shape? (Checked field by field rather than
// rebuilt: a token is read on every request, its ancestors too.)
function isCurrentRecord(value: Record<string, JsonValue>): boolean {
  return (
    typeof value['num_uses'] === 'number' &&
    (value['parent'] === null || typeof value['parent'] === 'string') &&
    (value['expire_ms'] === null || typeof value['expire_ms'] === 'number') &&
    (value['issue_ms'] === null || typeof value['issue_ms'] === 'number') &&
    Array.isArray(value['policies']) &&
    Array.isArray(value['bound_cidrs']) &&
    typeof value['ttl'] === 'number' &&
    typeof value['created_ms'] === 'number'
  );
}

// A stored record, or undefined when the value is not one. Records written before tokens had
// leases, parents and use limits (`creation_ttl`, `orphan`) read as the orphans they were.
export function parseTokenRecord(value: JsonValue | undefined): TokenRecord | undefined {
  if (!isJsonObject(value) || typeof value['hash'] !== 'string' || typeof value['accessor'] !== 'string') return undefined;
  // storage.get returns a fresh copy, so a current record is used as it is.
  if (isCurrentRecord(value)) return value as unknown as TokenRecord;
  const created = num(value['created_ms'], 0);
  const ttl = num(value['ttl'], num(value['creation_ttl'], 0));
  const legacy = !('issue_ms' in value);
  const path = typeof value['path'] === 'string' ? value['path'] : '';
  const meta = isJsonObject(value['meta']) ? (value['meta'] as Record<string, string>) : null;
  return {
    hash: value['hash'],
    accessor: value['accessor'],
    policies: strings(value['policies']),
    display_name: typeof value['display_name'] === 'string' ? value['display_name'] : '',
    path,
    meta,
    created_ms: created,
    ttl,
    issue_ms: legacy ? (path === 'auth/token/root' ? null : created) : numOrNull(value['issue_ms']),
    expire_ms: numOrNull(value['expire_ms']),
    lease_ttl: num(value['lease_ttl'], ttl),
    renewable: value['renewable'] === true,
    last_renewal_ms: numOrNull(value['last_renewal_ms']),
    explicit_max_ttl: num(value['explicit_max_ttl'], 0),
    max_ttl: num(value['max_ttl'], 0),
    period: num(value['period'], 0),
    num_uses: num(value['num_uses'], 0),
    parent: typeof value['parent'] === 'string' ? value['parent'] : null,
    bound_cidrs: strings(value['bound_cidrs']),
  };
}

// The record stored under `hash`, whatever its state (expired, spent), or undefined.
export function readRecordByHash(storage: Storage, hash: string): TokenRecord | undefined {
  const record = parseTokenRecord(storage.get(tokenStorageKey(hash)));
  return record !== undefined && hashesEqual(record.hash, hash) ? record : undefined;
}

// The record of `token` as stored, whatever its state, or undefined.
export function readStoredRecord(storage: Storage, token: string): TokenRecord | undefined {
  return readRecordByHash(storage, hashToken(token));
}

// Stores (or replaces) a token's record.
export function writeTokenRecord(storage: Storage, record: TokenRecord): void {
  storage.put(tokenStorageKey(record.hash), record as unknown as JsonValue);
}
