import { invalidRequest } from '../errors.js';
import type { JsonObject } from '../json.js';
import { decodeDurationSeconds } from './field-decode.js';
import { decodeMap } from './field-decode.js';
import { isJsonObject } from '../json.js';
import { folderPrefix, listChildren } from './list-keys.js';
import { v1Key, v1Prefix } from './kv-scope.js';
import type { KvScope } from './kv-scope.js';

// Reads a KV v1 entry: the stored object, or undefined when there is none.
export function readV1(scope: KvScope, key: string): JsonObject | undefined {
  const stored = scope.storage.get(v1Key(scope.uuid, key));
  return isJsonObject(stored) ? stored : undefined;
}

// Writes a KV v1 entry: the request body itself is the secret; an empty body is refused.
export function writeV1(scope: KvScope, key: string, data: unknown): void {
  if (key === '') throw invalidRequest('missing path');
  if (data === undefined || data === null) throw invalidRequest('missing data fields');
  const object = decodeMap(data, 'data', { secret: true });
  if (Object.keys(object).length === 0) throw invalidRequest('missing data fields');
  scope.storage.put(v1Key(scope.uuid, key), structuredClone(object));
}

// Deletes a KV v1 entry; deleting a missing one is not an error.
export function deleteV1(scope: KvScope, key: string): void {
  scope.storage.delete(v1Key(scope.uuid, key));
}

// Immediate children of a KV v1 folder, sorted; empty = nothing there.
export function listV1(scope: KvScope, prefix: string): string[] {
  const base = v1Prefix(scope.uuid) + folderPrefix(prefix);
  return listChildren(scope.storage.list(base), base);
}

// The lease_duration a v1 read reports: the entry's `ttl` (or legacy `lease`) field in
// seconds, 0 when absent or unparsable (Vault ignores a bad one on read).
export function v1LeaseSeconds(data: JsonObject): number {
  const raw = data.ttl ?? data.lease;
  if (raw === undefined) return 0;
  try {
    return Math.max(0, decodeDurationSeconds(raw, 'ttl'));
  } catch {
    return 0;
  }
}
