import { SecretrunError } from '../errors.js';
import type { Storage, Store } from './storage.js';
import type { JsonValue } from '../json.js';

// A Store held in memory: `server -dev` and the engines' unit tests. Values are deep-copied
// on the way in and out so callers can never alias stored state.
export function createMemoryStore(initial: ReadonlyMap<string, JsonValue> = new Map()): Store {
  let entries = new Map<string, string>([...initial].map(([k, v]) => [k, JSON.stringify(v)]));
  let closed = false;

  const view = (map: Map<string, string>, writable: boolean): Storage => ({
    get: (key) => {
      const raw = map.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as JsonValue);
    },
    put: (key, value) => {
      if (!writable) throw new SecretrunError('internal', 'a read transaction tried to write the store');
      map.set(key, JSON.stringify(value));
    },
    delete: (key) => {
      if (!writable) throw new SecretrunError('internal', 'a read transaction tried to write the store');
      map.delete(key);
    },
    list: (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)).sort(),
  });

  const assertOpen = (): void => {
    if (closed) throw new SecretrunError('internal', 'the memory store is closed');
  };

  return {
    async read(fn) {
      assertOpen();
      return fn(view(entries, false));
    },
    async update(fn) {
      assertOpen();
      // Work on a copy so a throwing transaction leaves nothing behind.
      const draft = new Map(entries);
      const result = fn(view(draft, true));
      entries = draft;
      return result;
    },
    async close() {
      closed = true;
    },
  };
}
