import { goStruct } from '../go/json.js';
import type { JsonObject } from '../json.js';
import { formatTimestamp } from '../kv/timestamp.js';
import { remainingSeconds } from './token-lifetime.js';
import type { Caller, TokenRecord } from './token-record.js';

// How Vault shows a token: the `auth` block of a create, login or renew response, and the
// `data` of a lookup.

// The `auth` block of a login, create or renew response, in Vault's field order (HTTPAuth).
export interface TokenAuthBlock {
  client_token: string;
  accessor: string;
  policies: string[];
  /** Omitted when empty (`omitempty`). */
  token_policies?: string[];
  metadata: Record<string, string> | null;
  lease_duration: number;
  renewable: boolean;
  entity_id: string;
  token_type: 'service';
  orphan: boolean;
  mfa_requirement: null;
  num_uses: number;
}

// Builds the `auth` block for a caller; `leaseDuration` is the TTL just granted (seconds).
// `clientToken` replaces the token (renew-accessor blanks it, as Vault does).
export function renderAuthBlock(caller: Caller, leaseDuration: number, clientToken = caller.token): TokenAuthBlock {
  const { record } = caller;
  const head = { client_token: clientToken, accessor: record.accessor, policies: record.policies };
  return goStruct({
    ...head,
    ...(record.policies.length === 0 ? {} : { token_policies: record.policies }),
    metadata: record.meta,
    lease_duration: leaseDuration,
    renewable: record.renewable,
    entity_id: '',
    token_type: 'service' as const,
    orphan: record.parent === null,
    mfa_requirement: null,
    num_uses: record.num_uses,
  });
}

// Is the lease renewable now (Vault's leaseEntry.renewable)?
function leaseRenewable(record: TokenRecord, now: number): boolean {
  return record.expire_ms !== null && record.expire_ms > now && record.renewable;
}

// `data` of auth/token/lookup, lookup-self and lookup-accessor (Vault's handleLookup; keys are
// sorted when encoded, as Go encodes a map). `id` is the token when the caller presented it,
// '' for a lookup by accessor. The lease fields appear only for tokens that have a lease.
export function renderTokenLookup(record: TokenRecord, id: string, now: number): JsonObject {
  const data: JsonObject = {
    accessor: record.accessor,
    creation_time: Math.floor(record.created_ms / 1000),
    creation_ttl: record.ttl,
    display_name: record.display_name,
    entity_id: '',
    expire_time: null,
    explicit_max_ttl: record.explicit_max_ttl,
    id,
    meta: record.meta,
    num_uses: record.num_uses,
    orphan: record.parent === null,
    path: record.path,
    policies: record.policies,
    ttl: 0,
    type: 'service',
  };
  if (record.period !== 0) data['period'] = record.period;
  if (record.bound_cidrs.length > 0) data['bound_cidrs'] = record.bound_cidrs;
  if (record.issue_ms !== null) {
    if (record.last_renewal_ms !== null) {
      data['last_renewal_time'] = Math.floor(record.last_renewal_ms / 1000);
      data['last_renewal'] = formatTimestamp(record.last_renewal_ms);
    }
    if (record.expire_ms !== null) {
      data['expire_time'] = formatTimestamp(record.expire_ms);
      data['ttl'] = Math.max(0, remainingSeconds(record.expire_ms, now));
    }
    data['renewable'] = leaseRenewable(record, now);
    data['issue_time'] = formatTimestamp(record.issue_ms);
  }
  return data;
}
