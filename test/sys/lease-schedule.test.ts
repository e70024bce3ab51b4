import { describe, expect, it } from 'vitest';
import { legacyDueIndexKey, nextDueKey } from '../../src/sys/lease-keys.js';
import { listDueItems, listScheduledItems, readDueTime, readNextDue, scheduleItem } from '../../src/sys/lease-schedule.js';
import { deleteLease, listLeaseIds, readLease, writeLease } from '../../src/sys/lease-storage.js';
import type { LeaseRecord } from '../../src/sys/lease-record.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Storage } from '../../src/store/storage.js';
import type { JsonValue } from '../../src/json.js';

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
    // Nothing scheduled: every key is gone, so the check every command makes finds nothing.
    await store.read((storage) => {
      expect(storage.get(nextDueKey)).toBeUndefined();
      expect(storage.list('sys/lease/')).toEqual([]);
      expect(readLease(storage, 'database/creds/a/1')).toBeUndefined();
    });
  });

  it('schedules a failed revocation at its next attempt, not its expiry', async () => {
    const store = createMemoryStore();
    await store.update((storage) => writeLease(storage, { ...lease('database/creds/a/1', 100), revocation: { attempts: 2, lastError: 'down', nextAttempt: 900 } }));
    expect(await store.read(readNextDue)).toBe(900);
  });

  it('writes a few small entries for a new lease, however many leases are held', async () => {
    const store = createMemoryStore();
    await store.update((storage) => {
      for (let i = 0; i < 2000; i += 1) writeLease(storage, lease(`database/creds/a/${i}`, 10_000 + i));
    });
    let written = 0;
    await store.update((storage) => {
      const counting: Storage = { ...storage, put: (key, value) => ((written += key.length + JSON.stringify(value).length), storage.put(key, value)) };
      writeLease(counting, lease('database/creds/a/new', 5_000));
    });
    // The lease itself is about 200 bytes; one entry holding every due time would be 80 KB.
    expect(written).toBeLessThan(1000);
    await store.read((storage) => {
      expect(readNextDue(storage)).toBe(5_000);
      expect(listDueItems(storage, 10_001)).toEqual(['database/creds/a/new', 'database/creds/a/0', 'database/creds/a/1']);
    });
    await store.update((storage) => deleteLease(storage, 'database/creds/a/new'));
    expect(await store.read(readNextDue)).toBe(10_000);
  });

  it('reads a schedule kept as one entry (before the split), and moves it on the first change', async () => {
    const store = createMemoryStore(new Map<string, JsonValue>([[legacyDueIndexKey, { 'database/creds/a/1': 100, 'rotate:u/app': 50 }], [nextDueKey, 50]]));
    await store.read((storage) => {
      expect(listDueItems(storage, 60)).toEqual(['rotate:u/app']);
      expect(readDueTime(storage, 'database/creds/a/1')).toBe(100);
      expect(listScheduledItems(storage).sort()).toEqual(['database/creds/a/1', 'rotate:u/app']);
    });
    await store.update((storage) => scheduleItem(storage, 'database/creds/a/2', 70));
    await store.read((storage) => {
      expect(storage.get(legacyDueIndexKey)).toBeUndefined();
      expect(readNextDue(storage)).toBe(50);
      expect(listDueItems(storage, 200)).toEqual(['rotate:u/app', 'database/creds/a/2', 'database/creds/a/1']);
    });
    await store.update((storage) => scheduleItem(storage, 'rotate:u/app', undefined));
    expect(await store.read(readNextDue)).toBe(70);
  });
});
