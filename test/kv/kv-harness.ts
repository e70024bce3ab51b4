import { SecretrunError } from '../../src/errors.js';
import type { KvScope } from '../../src/kv/kv-scope.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Storage } from '../../src/store/storage.js';

export const t0 = Date.parse('2024-01-01T00:00:00Z');

// A KV mount over a real memory store with a clock the test moves by hand.
export function createKvHarness(uuid = 'mount-uuid') {
  const store = createMemoryStore();
  const clock = { now: t0 };
  return {
    clock,
    store,
    /** Runs `fn` in one store transaction, as the router will. */
    run: <T>(fn: (scope: KvScope, now: number) => T): Promise<T> =>
      store.update((storage: Storage) => fn({ storage, uuid }, clock.now)),
    /** Every storage key, to check what is (not) stored. */
    keys: (): Promise<string[]> => store.read((storage) => storage.list('')),
    advance(ms: number): void {
      clock.now += ms;
    },
  };
}

// The SecretrunError a promise or function rejects with (fails the test if it does not).
export async function errorOf(action: () => unknown): Promise<SecretrunError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof SecretrunError) return error;
    throw error;
  }
  throw new Error('expected a SecretrunError, but nothing was thrown');
}
