import { invalidRequest } from '../errors.js';
import type { Storage } from '../store/storage.js';
import { readAccessorHash, writeAccessor } from './token-accessor.js';
import { buildRandomId, buildToken, hashToken, type RandomBytes } from './token-id.js';
import { calculateTtl } from './token-lifetime.js';
import { isRoot, readRecordByHash, readStoredRecord, tokenIdPrefix, writeTokenRecord, type Caller, type TokenRecord } from './token-record.js';
import { writeParentLink } from './token-tree.js';

// The token store's rules over Storage: issuing tokens (creation, logins, root tokens), which
// tokens are alive, and renewal — Vault's token_store.go and the token half of its expiration
// manager. Expiry is checked when a token is used rather than by timers: a token is alive while
// its lease runs and every ancestor is alive, so a child dies with an expired parent exactly
// when Vault's expiration manager would revoke it. Tidy (token-tidy.ts) removes the dead.

// The clock and randomness a token store operation needs.
export interface TokenClock {
  now: number;
  random: RandomBytes;
}

// What a new token should be. Durations in whole seconds, 0 or absent meaning "not set".
export interface NewToken {
  /** Use this token string instead of a random one (creation by a sudo caller). */
  id?: string;
  /** Final, sanitised policies (see token-policies.ts). */
  policies: readonly string[];
  displayName: string;
  path: string;
  ttl?: number;
  /** An auth method's cap on renewals (`token_max_ttl`). */
  maxTtl?: number;
  explicitMaxTtl?: number;
  period?: number;
  numUses?: number;
  renewable?: boolean;
  meta?: Record<string, string> | null;
  boundCidrs?: readonly string[];
  /** The parent token; undefined for an orphan. */
  parent?: TokenRecord;
  /** The creating token's own TTL: an expiring token cannot create a token that never expires. */
  creatorTtl?: number;
}

// A token just issued, and Vault's warnings about the TTL it got.
export interface IssuedToken {
  caller: Caller;
  warnings: string[];
}

// Custom token ids: never in the shape of generated ones, never a duplicate (Vault's create()).
function checkCustomId(storage: Storage, id: string): void {
  if (id.startsWith('hvs.')) throw invalidRequest("custom token ID cannot have the 'hvs.' prefix");
  if (id.startsWith('s.')) throw invalidRequest("custom token ID cannot have the 's.' prefix");
  if (id.includes('.')) throw invalidRequest("custom token ID cannot have a '.' in the value");
  if (readStoredRecord(storage, id) !== undefined) throw invalidRequest('cannot create a token with a duplicate ID');
}

// Stores a record with its accessor and parent link.
function storeToken(storage: Storage, record: TokenRecord): void {
  writeAccessor(storage, record.accessor, record.hash);
  if (record.parent !== null) writeParentLink(storage, record.parent, record.hash);
  writeTokenRecord(storage, record);
}

// Issues a token with a lease: its TTL as Vault calculates it (a root token without a TTL never
// expires, and is then not renewable), stored with its indexes. The token string is returned
// and nowhere kept.
export function issueToken(storage: Storage, input: NewToken, clock: TokenClock): IssuedToken {
  if (input.id !== undefined) checkCustomId(storage, input.id);
  const policies = [...input.policies];
  const root = policies.includes('root');
  const explicitMaxTtl = input.explicitMaxTtl ?? 0;
  const period = input.period ?? 0;
  let ttl = input.ttl ?? 0;
  let warnings: string[] = [];
  if (period > 0 || ttl > 0 || !root) {
    const grant = calculateTtl({ increment: 0, backendTtl: ttl, period, backendMaxTtl: input.maxTtl ?? 0, explicitMaxTtl, startMs: clock.now, nowMs: clock.now });
    ttl = grant.ttl;
    warnings = grant.warnings;
  }
  // Root tokens are still bound by an explicit max TTL.
  if (ttl === 0 && explicitMaxTtl > 0) ttl = explicitMaxTtl;
  if (ttl === 0 && (input.creatorTtl ?? 0) !== 0) {
    throw invalidRequest('expiring root tokens cannot create non-expiring root tokens');
  }
  const token = input.id ?? buildToken(clock.random);
  const record: TokenRecord = {
    hash: hashToken(token),
    accessor: buildRandomId(clock.random, 24),
    policies,
    display_name: input.displayName,
    path: input.path,
    meta: input.meta ?? null,
    created_ms: clock.now,
    ttl,
    issue_ms: clock.now,
    expire_ms: ttl > 0 ? clock.now + ttl * 1000 : null,
    lease_ttl: ttl,
    // A token that never expires is not advertised as renewable, nor bound to addresses.
    renewable: ttl > 0 && input.renewable !== false,
    last_renewal_ms: null,
    explicit_max_ttl: explicitMaxTtl,
    max_ttl: input.maxTtl ?? 0,
    period,
    num_uses: input.numUses ?? 0,
    parent: input.parent?.hash ?? null,
    bound_cidrs: ttl > 0 ? [...(input.boundCidrs ?? [])] : [],
  };
  storeToken(storage, record);
  return { caller: { token, record }, warnings };
}

// Creates a root token without a lease, as Vault's rootToken() does for `server` start-up,
// `operator generate-root` and `-dev-root-token-id` (which may choose any string).
export function createRootToken(storage: Storage, clock: TokenClock, id?: string): Caller {
  const token = id ?? buildToken(clock.random);
  const record: TokenRecord = {
    hash: hashToken(token),
    accessor: buildRandomId(clock.random, 24),
    policies: ['root'],
    display_name: 'root',
    path: 'auth/token/root',
    meta: null,
    created_ms: clock.now,
    ttl: 0,
    issue_ms: null,
    expire_ms: null,
    lease_ttl: 0,
    renewable: false,
    last_renewal_ms: null,
    explicit_max_ttl: 0,
    max_ttl: 0,
    period: 0,
    num_uses: 0,
    parent: null,
    bound_cidrs: [],
  };
  storeToken(storage, record);
  return { token, record };
}

// Ancestors deeper than this are treated as a broken chain (only a hand-edited store has them).
const maxDepth = 256;

// The record under `hash` if the token is alive: stored, not spent, not expired, and its parent
// (if any) alive too. Undefined otherwise.
export function readLiveRecord(storage: Storage, hash: string, now: number): TokenRecord | undefined {
  const record = readRecordByHash(storage, hash);
  if (record === undefined || !isAlive(record, now)) return undefined;
  let parent = record.parent;
  for (let depth = 0; parent !== null; depth += 1) {
    if (depth === maxDepth) return undefined;
    const ancestor = readRecordByHash(storage, parent);
    if (ancestor === undefined || !isAlive(ancestor, now)) return undefined;
    parent = ancestor.parent;
  }
  return record;
}

// Not spent and not expired (its ancestors aside).
function isAlive(record: TokenRecord, now: number): boolean {
  return record.num_uses >= 0 && (record.expire_ms === null || record.expire_ms > now);
}

// The live record of `token`, or undefined when it is unknown, expired, spent or orphaned by
// an ancestor's end.
export function readLiveToken(storage: Storage, token: string, now: number): TokenRecord | undefined {
  return readLiveRecord(storage, hashToken(token), now);
}

// The live record `accessor` names, or undefined.
export function readLiveByAccessor(storage: Storage, accessor: string, now: number): TokenRecord | undefined {
  const hash = readAccessorHash(storage, accessor);
  return hash === undefined ? undefined : readLiveRecord(storage, hash, now);
}

// Does the store hold any live root token? (Server start-up creates one when it does not.)
export function hasRootToken(storage: Storage, now: number): boolean {
  return storage.list(tokenIdPrefix).some((key) => {
    const record = readLiveRecord(storage, key.slice(tokenIdPrefix.length), now);
    return record !== undefined && isRoot(record);
  });
}
