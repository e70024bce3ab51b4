import { compareGoStrings } from '../go/string-order.js';
import type { JsonValue } from '../json.js';
import type { Storage, Store } from './storage.js';
import { closedError, readOnlyError, runTransaction } from './transaction.js';

// A Store held in memory: `server -dev` and the engines' unit tests. Values are kept as JSON
// text, so callers can never alias stored state. It keeps the same contract as the file store
// (test/store/store-contract.ts): code point key order, SecretrunErrors, synchronous
// transactions only.
export function createMemoryStore(initial: ReadonlyMap<string, JsonValue> = new Map()): Store {
  let entries = new Map<string, string>([...initial].map(([k, v]) => [k, JSON.stringify(v)]));
  let closed = false;

  const view = (map: Map<string, string>, writable: boolean): Storage => ({
    get: (key) => {
      const raw = map.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as JsonValue);
    },
    put: (key, value) => {
      if (!writable) throw readOnlyError();
      map.set(key, JSON.stringify(value));
    },
    delete: (key) => {
      if (!writable) throw readOnlyError();
      map.delete(key);
    },
    list: (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)).sort(compareGoStrings),
  });

  const assertOpen = (): void => {
    if (closed) throw closedError('the in-memory store');
  };

  return {
    async read(fn) {
      assertOpen();
      return runTransaction(view(entries, false), fn);
    },
    async update(fn) {
      assertOpen();
      // Work on a copy so a throwing transaction leaves nothing behind. The transaction runs
      // synchronously, so updates cannot interleave and apply in call order.
      const draft = new Map(entries);
      const result = runTransaction(view(draft, true), fn);
      entries = draft;
      return result;
    },
    async close() {
      closed = true;
    },
  };
}
