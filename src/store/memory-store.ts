import { compareGoStrings } from '../go/string-order.js';
import type { JsonValue } from '../json.js';
import type { Storage, Store } from './storage.js';
import { closedError, readOnlyError, runTransaction } from './transaction.js';

// A Store held in memory: `server -dev` and the engines' unit tests. Values are kept as JSON
// text, so callers can never alias stored state. It keeps the same contract as the file store
// (test/store/store-contract.ts): code point key order, SecretrunErrors, synchronous
// transactions only.
export function createMemoryStore(initial: ReadonlyMap<string, JsonValue> = new Map()): Store {
  const entries = new Map<string, string>([...initial].map(([k, v]) => [k, JSON.stringify(v)]));
  let closed = false;

  const parse = (raw: string | undefined): JsonValue | undefined => (raw === undefined ? undefined : (JSON.parse(raw) as JsonValue));
  const keysUnder = (keys: Iterable<string>, prefix: string): string[] => [...keys].filter((k) => k.startsWith(prefix));

  const readView: Storage = {
    get: (key) => parse(entries.get(key)),
    put: () => {
      throw readOnlyError();
    },
    delete: () => {
      throw readOnlyError();
    },
    list: (prefix) => keysUnder(entries.keys(), prefix).sort(compareGoStrings),
  };

  // A transaction's view: its changes (undefined: deleted) over the committed entries, so that
  // a write costs what it changes, not a copy of the whole store.
  const draftView = (changes: Map<string, string | undefined>): Storage => ({
    get: (key) => parse(changes.has(key) ? changes.get(key) : entries.get(key)),
    put: (key, value) => {
      changes.set(key, JSON.stringify(value));
    },
    delete: (key) => {
      changes.set(key, undefined);
    },
    list: (prefix) => {
      const keys = new Set(keysUnder(entries.keys(), prefix));
      for (const [key, value] of changes) {
        if (!key.startsWith(prefix)) continue;
        if (value === undefined) keys.delete(key);
        else keys.add(key);
      }
      return [...keys].sort(compareGoStrings);
    },
  });

  const assertOpen = (): void => {
    if (closed) throw closedError('the in-memory store');
  };

  return {
    async read(fn) {
      assertOpen();
      return runTransaction(readView, fn);
    },
    async update(fn) {
      assertOpen();
      // The changes apply only once the transaction returned, so a throwing one leaves nothing
      // behind. The transaction runs synchronously, so updates cannot interleave and apply in
      // call order.
      const changes = new Map<string, string | undefined>();
      const result = runTransaction(draftView(changes), fn);
      for (const [key, value] of changes) {
        if (value === undefined) entries.delete(key);
        else entries.set(key, value);
      }
      return result;
    },
    async close() {
      closed = true;
    },
  };
}
