import { SecretrunError } from '../errors.js';
import type { JsonObject } from '../json.js';
import { writeV1 } from '../kv/kv-v1.js';
import { writeData } from '../kv/kv-v2-data.js';
import type { Storage } from '../store/storage.js';
import { resolveKvPath } from '../sys/mount-resolver.js';
import { readMounts } from '../sys/mounts.js';

// Writes a new version of the secret at a logical path (KV v2), or replaces it (KV v1), for the
// library's write API. Returns the new version number (0 on KV v1).
export function writeLocalSecret(storage: Storage, path: string, data: JsonObject, options: { cas?: number }, now: number): number {
  const target = resolveKvPath(storage, readMounts(storage), path);
  const key = target?.rest.replace(/\/+$/, '') ?? '';
  if (target === undefined || key === '') {
    throw new SecretrunError('unsupported_path', `no handler for route "${path}". route entry not found.`);
  }
  if (target.version === 1) {
    writeV1(target.scope, key, data);
    return 0;
  }
  const input = options.cas === undefined ? { data } : { data, options: { cas: options.cas } };
  return writeData(target.scope, key, input, now).metadata.version;
}
