import { buildKvTarget, readKvMount, uiMountsPath, type KvTarget } from '../client/kv-mount.js';
import { SecretrunError } from '../errors.js';
import type { ApiClient } from './api-client.js';
import { apiError } from './api-error.js';
import { hintMounts, withHint } from './path-hints.js';

// Trims surrounding white space and slashes, as the vault CLI sanitises path arguments.
export function sanitizePath(path: string): string {
  return path.trim().replace(/^\/+/, '').replace(/\/+$/, '');
}

// Where a `kv` command's argument points after the vault CLI's preflight (client/kv-mount.ts);
// with -mount, the argument is the key inside that mount.
export async function resolveKvTarget(client: ApiClient, argument: string, mountFlag: string | undefined): Promise<KvTarget> {
  const mount = mountFlag === undefined ? undefined : sanitizePath(mountFlag);
  const given = sanitizePath(argument);
  const full = mount === undefined ? given : given === '' ? mount : `${mount}/${given}`;
  const probePath = uiMountsPath(mount ?? full);
  const response = await client.request('GET', probePath);
  const found = readKvMount(response.status, response.json);
  if (found === undefined) {
    const error = apiError(client, '', { method: 'GET', path: probePath }, response);
    throw response.status === 403 ? withHint(error, await hintMounts(client)) : error;
  }
  return buildKvTarget(found, full);
}

// The error a kv command reports for a v1 mount where only v2 is supported.
export function requireV2(target: KvTarget, message: string): void {
  if (target.version !== 2) throw new SecretrunError('usage', message);
}
