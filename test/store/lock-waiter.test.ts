import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file-store.js';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { makeStoreEnv } from './store-test-env.js';
import { startWriter } from './store-processes.js';

// A journal writer under constant load keeps the lock from one pass to the next; another
// process that waits for it announces itself and gets its turn at once.
describe('the lock under a busy journal writer', () => {
  it('lets another process write within a short lock timeout while the writer never stops', async () => {
    const bundle = await bundleFixture('test/fixtures/store-writer.ts');
    const { path, env } = makeStoreEnv();
    const server = await openFileStore({ path, env, create: true, journal: true });
    await server.update((s) => s.put('counter', 0));
    let stop = false;
    let serverWrites = 0;
    // Open-loop load, as HTTP clients make it: writes keep arriving while a pass runs, so there
    // is always a next pass waiting for the lock.
    const load: Array<Promise<void>> = [];
    const produce = (): void => {
      if (stop) return;
      load.push(server.update((s) => s.put('counter', (s.get('counter') as number) + 1)).then(() => void serverWrites++));
      setImmediate(produce);
    };
    produce();
    // Each of its 5 writes must get the lock within 1.5 s while the server never runs out of work.
    const other = startWriter(bundle, env, path, 'cli', 5, 1_500);
    const code = await other.exited;
    stop = true;
    await Promise.all(load);
    expect(code).toBe(0);
    expect(other.acks).toHaveLength(5);
    expect(serverWrites).toBeGreaterThan(0);
    await server.close();
    const reader = await openFileStore({ path, env });
    expect(await reader.read((s) => [s.get('counter'), s.list('cli/').length])).toEqual([serverWrites + 5, 5]);
  });
});
