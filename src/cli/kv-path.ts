import { SecretrunError } from '../errors.js';
import type { ApiClient } from './api-client.js';
import { apiError } from './api-error.js';

// Where a `kv` command's argument points after the vault CLI's preflight: the mount, its KV
// version, and the key inside it.
export interface KvTarget {
  /** The mount path with its trailing slash, e.g. `secret/`. */
  mountPath: string;
  version: 1 | 2;
  /** The key inside the mount, without leading or trailing slashes ('' for the mount itself). */
  key: string;
}

// Trims surrounding white space and slashes, as the vault CLI sanitises path arguments.
export function sanitizePath(path: string): string {
  return path.trim().replace(/^\/+/, '').replace(/\/+$/, '');
}

// Asks the server which mount holds `path` (GET sys/internal/ui/mounts/<path>), as every
// `vault kv` command does first. A 404 means "not a KV v2 mount": the CLI then treats the path
// as KV v1, exactly like vault.
export async function resolveKvTarget(client: ApiClient, argument: string, mountFlag: string | undefined): Promise<KvTarget> {
  const mount = mountFlag === undefined ? undefined : sanitizePath(mountFlag);
  const given = sanitizePath(argument);
  const full = mount === undefined ? given : given === '' ? mount : `${mount}/${given}`;
  const probePath = `sys/internal/ui/mounts/${mount ?? full}`;
  const response = await client.request('GET', probePath);
  if (response.status === 404) {
    return { mountPath: '', version: 1, key: full };
  }
  if (response.status !== 200) {
    throw apiError(client, '', { method: 'GET', path: probePath }, response);
  }
  const data = response.json?.['data'];
  const record = data !== null && typeof data === 'object' && !Array.isArray(data) ? data : {};
  const mountPath = typeof record['path'] === 'string' ? record['path'] : '';
  const options = record['options'];
  const kvVersion = options !== null && typeof options === 'object' && !Array.isArray(options) ? options['version'] : undefined;
  if (kvVersion !== '2') return { mountPath, version: 1, key: full };
  const withSlash = `${full}/`;
  const key = withSlash.startsWith(mountPath) ? full.slice(mountPath.length) : full;
  return { mountPath, version: 2, key: key.replace(/^\/+/, '') };
}

// The API path for a KV v2 operation: `secret/foo` + `data` → `secret/data/foo`.
export function kvApiPath(target: KvTarget, prefix: 'data' | 'metadata' | 'delete' | 'undelete' | 'destroy' | 'subkeys'): string {
  if (target.version === 1) return target.key;
  return target.key === '' ? `${target.mountPath}${prefix}` : `${target.mountPath}${prefix}/${target.key}`;
}

// The error a kv command reports for a v1 mount where only v2 is supported.
export function requireV2(target: KvTarget, message: string): void {
  if (target.version !== 2) throw new SecretrunError('usage', message);
}
