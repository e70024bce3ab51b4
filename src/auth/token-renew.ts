import { invalidRequest } from '../errors.js';
import type { Storage } from '../store/storage.js';
import { calculateTtl } from './token-lifetime.js';
import { writeTokenRecord, type TokenRecord } from './token-record.js';

// Renewing a token's lease, as Vault's expiration manager renews an auth lease: refused for a
// token without a lease, one that never expires or one created not renewable; a periodic token
// gets its period again; any other the increment (else its last grant), never past its start
// plus the max TTL (the system's 32 days, an auth method's token_max_ttl, the explicit max).

// A renewed record, the TTL granted and Vault's warnings when it was capped.
export interface Renewal {
  record: TokenRecord;
  ttl: number;
  warnings: string[];
}

// Renews the lease of a live token by `increment` seconds (0: its last grant) and stores it.
export function renewToken(storage: Storage, record: TokenRecord, increment: number, now: number): Renewal {
  if (record.issue_ms === null) throw invalidRequest('invalid lease ID');
  if (record.expire_ms === null || !record.renewable) throw invalidRequest('lease is not renewable');
  if (record.expire_ms <= now) throw invalidRequest('lease expired');
  const { ttl, warnings } = calculateTtl({
    increment,
    backendTtl: record.lease_ttl,
    period: record.period,
    backendMaxTtl: record.max_ttl,
    explicitMaxTtl: record.explicit_max_ttl,
    startMs: record.issue_ms,
    nowMs: now,
  });
  const renewed: TokenRecord = { ...record, expire_ms: now + ttl * 1000, lease_ttl: ttl, last_renewal_ms: now };
  writeTokenRecord(storage, renewed);
  return { record: renewed, ttl, warnings };
}
