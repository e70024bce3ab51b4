import { describe, expect, it } from 'vitest';
import { createDynamicLoader } from '../../src/http/dynamic-loader.js';
import { startLeaseExpiry } from '../../src/http/lease-expiry-timer.js';
import { readNextDue, scheduleItem } from '../../src/sys/lease-schedule.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { waitFor } from '../helpers/wait-for.js';

describe('the lease expiry timer', () => {
  it('runs what another process scheduled after it started: a rotation of a static role that is gone is dropped', async () => {
    const store = createMemoryStore();
    const reports: string[] = [];
    const dynamic = createDynamicLoader({ report: (line) => reports.push(line) });
    const timer = startLeaseExpiry({ store, dynamic, now: Date.now, logError: (line) => reports.push(line), recheckMs: 20 });
    try {
      // Written behind the timer's back, as a local command on the same store would.
      await store.update((storage) => scheduleItem(storage, 'rotate:some-uuid/gone', Date.now() + 30));
      await waitFor('the due rotation to be handled', async () => (await store.read(readNextDue)) === undefined);
      expect(reports).toEqual([]);
    } finally {
      await timer.stop();
      await dynamic.close();
    }
  });
});
