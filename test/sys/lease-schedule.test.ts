import { describe, expect, it } from 'vitest';
import { dueIndexKey, nextDueKey } from '../../src/sys/lease-keys.js';
import { listDueItems, readNextDue, scheduleItem } from '../../src/sys/lease-schedule.js';
import { deleteLease, listLeaseIds, readLease, writeLease } from '../../src/sys/lease-storage.js';
import type { LeaseRecord } from '../../src/sys/lease-record.js';
import { createMemoryStore } from '../../src/store/memory-store.js';

const lease = (id: string, expireTime: number): LeaseRecord => ({
  id,
  mountUuid: 'u',
  issueTime: 0,
  expireTime,
  lastRenewal: null,
  maxExpireTime: expireTime * 2,
  renewable: true,
  internal: { username: 'v-x' },
});

describe('the schedule of leases and rotations', () => {
  it('keeps the earliest time in one small key, and lists what is due in order', async () => {
    const store = createMemoryStore();
    await store.update((storage) => {
      writeLease(storage, lease('database/creds/a/1', 300));
      writeLease(storage, lease('database/creds/a/2', 100));
      scheduleItem(storage, 'rotate:u/app', 200);
    });
    await store.read((storage) => {
      expect(readNextDue(storage)).toBe(100);
      expect(listDueItems(storage, 250)).toEqual(['database/creds/a/2', 'rotate:u/app']);
      expect(listLeaseIds(storage, 'database/creds/a/')).toEqual(['database/creds/a/1', 'database/creds/a/2']);
    });
    await store.update((storage) => deleteLease(storage, 'database/creds/a/2'));
    expect(await store.read(readNextDue)).toBe(200);
    await store.update((storage) => {
      deleteLease(storage, 'database/creds/a/1');
      scheduleItem(storage, 'rotate:u/app', undefined);
    });
    // Nothing scheduled: both keys are gone, so the check every command makes finds nothing.
    await store.read((storage) => {
      expect(storage.get(nextDueKey)).toBeUndefined();
      expect(storage.get(dueIndexKey)).toBeUndefined();
      expect(readLease(storage, 'database/creds/a/1')).toBeUndefined();
    });
  });

  it('schedules a failed revocation at its next attempt, not its expiry', async () => {
    const store = createMemoryStore();
    await store.update((storage) => writeLease(storage, { ...lease('database/creds/a/1', 100), revocation: { attempts: 2, lastError: 'down', nextAttempt: 900 } }));
    expect(await store.read(readNextDue)).toBe(900);
  });
});
