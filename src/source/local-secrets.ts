import { SecretrunError } from '../errors.js';
import { readV1, writeV1 } from '../kv/kv-v1.js';
import { readData, writeData } from '../kv/kv-v2-data.js';
import { findMount, kvVersionOf, readMounts, type MountTable } from '../kv/mounts.js';
import type { Storage } from '../store/storage.js';
import type { JsonObject } from '../json.js';
import type { SecretRead } from './source.js';

// A logical path (`secret/api-keys/openai`) resolved to the KV mount that holds it.
function locate(storage: Storage, path: string, mounts: MountTable): { scope: { storage: Storage; uuid: string }; version: 1 | 2; key: string } | undefined {
  const match = findMount(mounts, path);
  if (match === undefined) return undefined;
  const version = kvVersionOf(match.mount);
  if (version === undefined) return undefined;
  return { scope: { storage, uuid: match.mount.uuid }, version, key: match.rest.replace(/\/+$/, '') };
}

// Reads the secret at a logical path straight from storage, the way the runner and the library
// need it: its fields and version, or why there are none. Pure over Storage. A caller reading
// many paths passes the mounts table it read once.
export function readLocalSecret(storage: Storage, path: string, version: number | undefined, now: number, mounts = readMounts(storage)): SecretRead {
  const target = locate(storage, path, mounts);
  if (target === undefined || target.key === '') return { status: 'missing' };
  if (target.version === 1) {
    const data = readV1(target.scope, target.key);
    return data === undefined ? { status: 'missing' } : { status: 'found', secret: { data, version: 0 } };
  }
  const result = readData(target.scope, target.key, version === undefined ? {} : { version }, now);
  if (result === undefined || result.status !== 'live') return { status: 'missing' };
  return { status: 'found', secret: { data: result.data, version: result.metadata.version } };
}

// Writes a new version of the secret at a logical path (KV v2), or replaces it (KV v1).
// Returns the new version number (0 on KV v1).
export function writeLocalSecret(storage: Storage, path: string, data: JsonObject, options: { cas?: number }, now: number): number {
  const target = locate(storage, path, readMounts(storage));
  if (target === undefined || target.key === '') {
    throw new SecretrunError('unsupported_path', `no handler for route "${path}". route entry not found.`);
  }
  if (target.version === 1) {
    writeV1(target.scope, target.key, data);
    return 0;
  }
  const input = options.cas === undefined ? { data } : { data, options: { cas: options.cas } };
  return writeData(target.scope, target.key, input, now).metadata.version;
}
