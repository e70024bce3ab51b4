import type { KvScope } from '../kv/kv-scope.js';
import type { Storage } from '../store/storage.js';
import { kvVersionOf, type KvVersion, type Mount, type MountTable } from './mounts.js';

// Which mount serves a logical path: the one pure answer shared by the server's router, the
// local CLI (through the router) and the runner's and library's local reads, so a path means
// the same mount everywhere.

// A path resolved to the mount that holds it.
export interface MountMatch {
  /** The mount path, with trailing `/`. */
  path: string;
  mount: Mount;
  /** What follows the mount path, e.g. `data/foo` under `secret/`. */
  rest: string;
}

// The mount holding `path` (longest prefix), or undefined when none does.
export function findMount(table: MountTable, path: string): MountMatch | undefined {
  const clean = path.replace(/^\/+/, '');
  const probe = clean.endsWith('/') ? clean : `${clean}/`;
  let best: string | undefined;
  for (const mountPath of Object.keys(table)) {
    if (probe.startsWith(mountPath) && (best === undefined || mountPath.length > best.length)) best = mountPath;
  }
  if (best === undefined) return undefined;
  const mount = table[best];
  if (mount === undefined) return undefined;
  return { path: best, mount, rest: clean.slice(best.length) };
}

// A path on a KV mount: the engine's scope, the mount's KV version, and what follows the mount.
export interface KvMountedPath {
  /** The mount path, with trailing `/`. */
  mountPath: string;
  scope: KvScope;
  version: KvVersion;
  /** What follows the mount path: `data/foo` on v2 over HTTP, `foo` for a runner's reference. */
  rest: string;
}

// The KV mount holding `path` and its scope over `storage`, or undefined when no KV mount does.
export function resolveKvPath(storage: Storage, table: MountTable, path: string): KvMountedPath | undefined {
  const match = findMount(table, path);
  if (match === undefined) return undefined;
  const version = kvVersionOf(match.mount);
  if (version === undefined) return undefined;
  return { mountPath: match.path, scope: { storage, uuid: match.mount.uuid }, version, rest: match.rest };
}
