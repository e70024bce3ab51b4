import { isJsonObject, type JsonValue } from '../json.js';
import type { Storage } from '../store/storage.js';
import { leaseEntryPrefix, leaseKey } from './lease-keys.js';
import type { LeaseRecord } from './lease-record.js';
import { scheduleItem } from './lease-schedule.js';

// Leases in storage: each record under its id, and its next due time in the schedule (its
// expiry, or the next attempt of a revocation that failed).

// The lease of that id, or undefined.
export function readLease(storage: Storage, id: string): LeaseRecord | undefined {
  const value = storage.get(leaseKey(id));
  return isJsonObject(value) && typeof value['id'] === 'string' ? (value as unknown as LeaseRecord) : undefined;
}

// When a lease next needs the server's attention.
export function dueTimeOf(lease: LeaseRecord): number {
  return lease.revocation === undefined ? lease.expireTime : lease.revocation.nextAttempt;
}

// Stores (or replaces) a lease and schedules it.
export function writeLease(storage: Storage, lease: LeaseRecord): void {
  storage.put(leaseKey(lease.id), lease as unknown as JsonValue);
  scheduleItem(storage, lease.id, dueTimeOf(lease));
}

// Forgets a lease (after its secret was revoked, or by revoke-force).
export function deleteLease(storage: Storage, id: string): void {
  storage.delete(leaseKey(id));
  scheduleItem(storage, id, undefined);
}

// The ids of every lease whose id starts with `prefix` ('' for all), in code point order.
export function listLeaseIds(storage: Storage, prefix: string): string[] {
  return storage.list(`${leaseEntryPrefix}${prefix}`).map((key) => key.slice(leaseEntryPrefix.length));
}
