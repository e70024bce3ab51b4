import { readV1 } from '../kv/kv-v1.js';
import { readData } from '../kv/kv-v2-data.js';
import { readMetadata } from '../kv/kv-v2-metadata.js';
import { metaPrefix, v1Prefix } from '../kv/kv-scope.js';
import type { Storage } from '../store/storage.js';
import { nearestNames } from '../suggest.js';
import { resolveKvPath } from '../sys/mount-resolver.js';
import { kvVersionOf, readMounts, type MountTable } from '../sys/mounts.js';
import type { SecretRead } from './source.js';

// Reads the secret at a logical path (`secret/api-keys/openai`) straight from storage, the way
// the runner and the library need it: its fields and version, or why there are none — a reason
// naming the nearest paths, the mounts or the versions that do exist (names only; paths are
// visible in the store file anyway). Pure over Storage. A caller reading many paths passes the
// mounts table it read once.
export function readLocalSecret(storage: Storage, path: string, version: number | undefined, now: number, mounts: MountTable = readMounts(storage)): SecretRead {
  const target = resolveKvPath(storage, mounts, path);
  if (target === undefined) return missing(noMount(mounts));
  const key = target.rest.replace(/\/+$/, '');
  if (key === '') return missing(`a path names a secret inside the mount ${target.mountPath}, e.g. ${target.mountPath}myapp/config`);
  if (target.version === 1) {
    const data = readV1(target.scope, key);
    if (data !== undefined) return { status: 'found', secret: { data, version: 0 } };
    return missing(noKey(target.mountPath, key, storage.list(v1Prefix(target.scope.uuid)).map((stored) => stored.slice(v1Prefix(target.scope.uuid).length))));
  }
  const result = readData(target.scope, key, version === undefined ? {} : { version }, now);
  if (result?.status === 'live') return { status: 'found', secret: { data: result.data, version: result.metadata.version } };
  const metadata = readMetadata(target.scope, key);
  if (metadata === undefined) {
    const prefix = metaPrefix(target.scope.uuid);
    return missing(noKey(target.mountPath, key, storage.list(prefix).map((stored) => stored.slice(prefix.length))));
  }
  const versions = Object.keys(metadata.versions);
  const which = version === undefined ? `its current version ${metadata.current_version}` : `version ${version}`;
  if (result === undefined) return missing(`no version ${version ?? metadata.current_version} of this secret (versions: ${versions.join(', ') || 'none'})`);
  return missing(`${which} was ${result.status === 'destroyed' ? 'destroyed' : 'deleted'} (undelete it, or pin another version: ${versions.join(', ')})`);
}

function missing(reason: string): SecretRead {
  return { status: 'missing', reason };
}

function noMount(mounts: MountTable): string {
  const kvMounts = Object.entries(mounts).filter(([, mount]) => kvVersionOf(mount) !== undefined).map(([mountPath]) => mountPath);
  return `no secrets engine is mounted at this path (KV mounts: ${kvMounts.sort().join(', ') || 'none'})`;
}

function noKey(mountPath: string, key: string, keys: readonly string[]): string {
  const nearest = nearestNames(key, keys).map((name) => `${mountPath}${name}`);
  return nearest.length === 0 ? 'no secret at this path' : `no secret at this path (did you mean ${nearest.join(', ')}?)`;
}
