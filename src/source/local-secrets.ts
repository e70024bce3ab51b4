import { readV1 } from '../kv/kv-v1.js';
import { readData } from '../kv/kv-v2-data.js';
import type { Storage } from '../store/storage.js';
import { resolveKvPath } from '../sys/mount-resolver.js';
import { readMounts, type MountTable } from '../sys/mounts.js';
import type { SecretRead } from './source.js';

// Reads the secret at a logical path (`secret/api-keys/openai`) straight from storage, the way
// the runner and the library need it: its fields and version, or why there are none. Pure over
// Storage. A caller reading many paths passes the mounts table it read once.
export function readLocalSecret(storage: Storage, path: string, version: number | undefined, now: number, mounts: MountTable = readMounts(storage)): SecretRead {
  const target = resolveKvPath(storage, mounts, path);
  const key = target?.rest.replace(/\/+$/, '') ?? '';
  if (target === undefined || key === '') return { status: 'missing' };
  if (target.version === 1) {
    const data = readV1(target.scope, key);
    return data === undefined ? { status: 'missing' } : { status: 'found', secret: { data, version: 0 } };
  }
  const result = readData(target.scope, key, version === undefined ? {} : { version }, now);
  if (result === undefined || result.status !== 'live') return { status: 'missing' };
  return { status: 'found', secret: { data: result.data, version: result.metadata.version } };
}
