import { SecretrunError } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';
import { isJsonObject } from '../json.js';
import { decodeKeyMetadata } from './key-metadata.js';
import type { KeyMetadata } from './key-metadata.js';
import { metaKey, versionKey } from './kv-scope.js';
import type { KvScope } from './kv-scope.js';

// A key's metadata, or undefined when the key does not exist.
export function loadKeyMetadata(scope: KvScope, key: string): KeyMetadata | undefined {
  const stored = scope.storage.get(metaKey(scope.uuid, key));
  // Storage.get hands out a fresh copy, so the engine may edit it in place.
  return stored === undefined ? undefined : decodeKeyMetadata(stored);
}

// Stores a key's metadata.
export function saveKeyMetadata(scope: KvScope, meta: KeyMetadata): void {
  scope.storage.put(metaKey(scope.uuid, meta.key), meta as unknown as JsonValue);
}

// Stores the data of one version.
export function saveVersionData(scope: KvScope, key: string, version: number, data: JsonObject): void {
  scope.storage.put(versionKey(scope.uuid, key, version), { data });
}

// The data of a version the metadata says exists. Its absence is a broken store, not a user
// error (Vault: "could not find version data").
export function loadVersionData(scope: KvScope, key: string, version: number): JsonObject {
  const stored = scope.storage.get(versionKey(scope.uuid, key, version));
  if (!isJsonObject(stored) || !isJsonObject(stored.data)) {
    throw new SecretrunError('internal', `could not find version data: version ${version}`);
  }
  return stored.data;
}

// Removes the data of one version (destroy, pruning, metadata delete).
export function deleteVersionData(scope: KvScope, key: string, version: number): void {
  scope.storage.delete(versionKey(scope.uuid, key, version));
}
