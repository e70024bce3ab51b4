import { SecretrunError } from '../../errors.js';
import { disableMount, enableMount, normalizeMountPath, readMounts, tuneMount, type Mount, type RandomBytes } from '../../sys/mounts.js';
import { findMount } from '../../sys/mount-resolver.js';
import type { JsonObject } from '../../json.js';
import { dataResponse, none, type LogicalResponse } from '../logical.js';
import type { RouteContext } from './route-context.js';

function unsupported(): never {
  throw new SecretrunError('unsupported_operation', 'unsupported operation');
}

function tuneView(mount: Mount): JsonObject {
  return {
    default_lease_ttl: mount.config.default_lease_ttl,
    description: mount.description,
    force_no_cache: mount.config.force_no_cache,
    max_lease_ttl: mount.config.max_lease_ttl,
    options: mount.options,
  };
}

// `sys/mounts` (list), `sys/mounts/<path>` (enable, disable, read) and
// `sys/mounts/<path>/tune`; `rest` is the part after `sys/mounts`.
export function routeSysMounts(rest: string, context: RouteContext, random: RandomBytes): LogicalResponse {
  const { request, storage } = context;
  const path = rest.replace(/^\/+/, '');
  if (path === '') {
    if (request.operation !== 'read') return unsupported();
    return { kind: 'data', data: readMounts(storage) as unknown as JsonObject, legacySys: true };
  }
  if (path.endsWith('/tune')) {
    const mountPath = normalizeMountPath(path.slice(0, -'/tune'.length));
    if (request.operation === 'read') {
      const mount = readMounts(storage)[mountPath];
      if (mount === undefined) throw new SecretrunError('invalid_request', `cannot fetch sysview for path "${mountPath}"`);
      return { kind: 'data', data: tuneView(mount), legacySys: true };
    }
    if (request.operation !== 'update') return unsupported();
    tuneMount(storage, mountPath, request.data);
    return none;
  }
  switch (request.operation) {
    case 'read': {
      const mount = readMounts(storage)[normalizeMountPath(path)];
      if (mount === undefined) throw new SecretrunError('invalid_request', `No secret engine mount at ${normalizeMountPath(path)}`);
      return { kind: 'data', data: mount as unknown as JsonObject, legacySys: true };
    }
    case 'create':
    case 'update':
      enableMount(storage, path, request.data, random);
      return none;
    case 'delete':
      disableMount(storage, path);
      return none;
    default:
      return unsupported();
  }
}

// `sys/internal/ui/mounts/<path>`: which mount holds a path, as the vault CLI asks before every
// `kv` command. A path no mount holds is refused exactly as a path the caller may not see.
export function readUiMount(rest: string, context: RouteContext): LogicalResponse {
  const path = rest.replace(/^\/+/, '');
  const match = findMount(readMounts(context.storage), path);
  if (match === undefined || path === '') {
    const shown = `${path.replace(/\/+$/, '')}/`;
    throw new SecretrunError(
      'permission_denied',
      `preflight capability check returned 403, please ensure client's policies grant access to path "${shown}"`,
    );
  }
  return dataResponse({ ...(match.mount as unknown as JsonObject), path: match.path });
}

