import { isJsonObject, type JsonObject } from '../json.js';

// How a client learns which KV mount holds a path, as every `vault kv` command does first:
// ask `sys/internal/ui/mounts/<path>`; a 404 means a server without that endpoint, and the
// path is then KV v1. Pure: the CLI and the runner's remote source send the request themselves.

// A KV mount as the preflight reports it.
export interface KvMount {
  /** With trailing slash; '' when the server did not say (KV v1). */
  path: string;
  version: 1 | 2;
  /** The engine's type as the server says (`kv`, `database`); undefined when it did not say. */
  type?: string;
}

// Where a path points: its mount, the mount's KV version, and the key inside the mount.
export interface KvTarget {
  /** The mount path with its trailing slash, e.g. `secret/` ('' when unknown). */
  mountPath: string;
  version: 1 | 2;
  /** On v2 the key inside the mount, without leading slashes; on v1 the whole path. */
  key: string;
}

// The KV v2 API prefixes under a mount.
export type KvApiPrefix = 'data' | 'metadata' | 'delete' | 'undelete' | 'destroy' | 'subkeys';

// The preflight request's path for `path`.
export function uiMountsPath(path: string): string {
  return `sys/internal/ui/mounts/${path}`;
}

// What a preflight answer says about the mount, or undefined when it decides nothing (an
// answer other than 200 or 404, which the caller reports as the failure it is).
export function readKvMount(status: number, body: JsonObject | undefined): KvMount | undefined {
  if (status === 404) return { path: '', version: 1 };
  if (status !== 200) return undefined;
  const data = isJsonObject(body?.['data']) ? body['data'] : {};
  const options = isJsonObject(data['options']) ? data['options'] : {};
  const mount: KvMount = { path: typeof data['path'] === 'string' ? data['path'] : '', version: options['version'] === '2' ? 2 : 1 };
  if (typeof data['type'] === 'string' && data['type'] !== '') mount.type = data['type'];
  return mount;
}

// `path` (mount included, no surrounding slashes) as a target on `mount`.
export function buildKvTarget(mount: KvMount, path: string): KvTarget {
  if (mount.version === 1) return { mountPath: mount.path, version: 1, key: path };
  const key = `${path}/`.startsWith(mount.path) ? path.slice(mount.path.length) : path;
  return { mountPath: mount.path, version: 2, key: key.replace(/^\/+/, '') };
}

// The API path for a KV operation: `secret/foo` + `data` → `secret/data/foo`; on v1 the path.
export function kvApiPath(target: KvTarget, prefix: KvApiPrefix): string {
  if (target.version === 1) return target.key;
  return target.key === '' ? `${target.mountPath}${prefix}` : `${target.mountPath}${prefix}/${target.key}`;
}
