import { SecretrunError } from '../errors.js';
import { kvApiPath, type KvTarget } from '../client/kv-mount.js';
import { isJsonObject } from '../json.js';
import { nearestNames } from '../suggest.js';
import type { ApiClient } from './api-client.js';

// Second lines for "not found" errors that say what does exist: the nearest paths, the versions
// of a key, the fields of a secret, the mounts. Names only, never values (paths and field names
// are not secret: paths are visible in the store file). Each asks the API as the user's client,
// so a token that may not list sees no hint rather than an error.

// The mounts, for a path no mount holds.
export async function hintMounts(client: ApiClient): Promise<string | undefined> {
  const response = await client.request('GET', 'sys/mounts').catch(() => undefined);
  const data = response?.status === 200 ? response.json?.['data'] : undefined;
  if (!isJsonObject(data)) return undefined;
  const mounts = Object.keys(data).filter((path) => path !== 'sys/' && path !== 'identity/' && path !== 'cubbyhole/').sort();
  return mounts.length === 0 ? undefined : `Mounts: ${mounts.join(', ')} (run "secretrun secrets list" for details).`;
}

// The fields a secret has, for a -field it does not.
export function hintFields(fields: readonly string[], field: string): string {
  const nearest = nearestNames(field, fields);
  return `${nearest.length > 0 ? `Did you mean ${nearest.map((name) => `"${name}"`).join(', ')}? ` : ''}Fields: ${fields.join(', ') || 'none'}.`;
}

// The keys (and folders, ending in `/`) one level below `folder` of a mount, or undefined.
async function listFolder(client: ApiClient, target: KvTarget, folder: string): Promise<string[] | undefined> {
  const path = kvApiPath({ ...target, key: folder }, 'metadata');
  const response = await client.request('LIST', target.version === 2 ? `${path}/`.replace(/\/+$/, '/') : `${folder}/`).catch(() => undefined);
  const keys = response?.status === 200 ? response.json?.['data'] : undefined;
  const list = isJsonObject(keys) ? keys['keys'] : undefined;
  return Array.isArray(list) ? list.map(String) : undefined;
}

// For a key (or, listing, a folder) that does not exist: the versions it has (when only a
// version was missing), that it is a secret (when listed as a folder), or the nearest existing
// path, found by walking up to the deepest folder that exists.
export async function hintMissingKey(client: ApiClient, target: KvTarget, asked: { version?: number; listing?: boolean } = {}): Promise<string | undefined> {
  if (target.version === 2) {
    const response = await client.request('GET', kvApiPath(target, 'metadata')).catch(() => undefined);
    const versions = response?.status === 200 ? response.json?.['data'] : undefined;
    if (isJsonObject(versions) && isJsonObject(versions['versions'])) {
      const path = `${target.mountPath}${target.key}`;
      if (asked.listing === true) return `${path} is a secret, not a folder: read it with "secretrun kv get ${path}".`;
      const numbers = Object.keys(versions['versions']).map(Number).sort((a, b) => a - b);
      const version = asked.version ?? 0;
      return `${version > 0 ? `No version ${version}; versions` : 'Versions'} of ${path}: ${numbers.join(', ')}.`;
    }
  }
  const mountPath = target.version === 2 ? target.mountPath : '';
  const parts = target.key.split('/');
  for (let depth = parts.length - 1; depth >= 0; depth--) {
    const folder = parts.slice(0, depth).join('/');
    const entries = await listFolder(client, target, folder);
    if (entries === undefined) continue;
    const wanted = depth === parts.length - 1 ? (parts[depth] as string) : `${parts[depth] as string}/`;
    const nearest = nearestNames(wanted, entries);
    if (nearest.length === 0) return undefined;
    const rest = parts.slice(depth + 1).join('/');
    const prefix = folder === '' ? mountPath : `${mountPath}${folder}/`;
    return `Did you mean ${nearest.map((name) => `${prefix}${name}${name.endsWith('/') ? rest : ''}`).join(', ')}?`;
  }
  return undefined;
}

// `error` with `hint` as its second line (when there is one).
export function withHint(error: SecretrunError, hint: string | undefined): SecretrunError {
  if (hint === undefined) return error;
  return new SecretrunError(error.code, error.message, { hint: error.hint === undefined ? hint : `${error.hint}\n${hint}`, details: error.details, cause: error });
}
