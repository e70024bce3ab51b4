import type { JsonValue } from '../../src/json.js';
import type { KvScope } from '../../src/kv/kv-scope.js';
import type { Storage } from '../../src/store/storage.js';
import { compareGoStrings } from '../../src/go/string-order.js';
import { defaultMounts } from '../../src/sys/mounts.js';

// The uuid of the `secret/` mount every new store has.
export const secretUuid = (defaultMounts()['secret/'] as { uuid: string }).uuid;

// A Storage over a plain map (the engines run on it unchanged), for building the three sides of
// a merge with the real KV and mount rules. Values are copied in and out, as a store does.
export function createContentsStorage(initial: ReadonlyMap<string, JsonValue> = new Map()): { storage: Storage; contents: () => Map<string, JsonValue> } {
  const map = new Map([...initial].map(([k, v]) => [k, structuredClone(v)]));
  const storage: Storage = {
    get: (key) => (map.has(key) ? structuredClone(map.get(key)) : undefined),
    put: (key, value) => void map.set(key, structuredClone(value)),
    delete: (key) => void map.delete(key),
    list: (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)).sort(compareGoStrings),
  };
  return { storage, contents: () => new Map([...map].sort(([a], [b]) => compareGoStrings(a, b)).map(([k, v]) => [k, structuredClone(v)])) };
}

// The scope of the `secret/` mount (or another mount by uuid) over a storage.
export function scopeOf(storage: Storage, uuid = secretUuid): KvScope {
  return { storage, uuid };
}
