import { preflightDenied } from '../../auth/unauthenticated-paths.js';
import { SecretrunError } from '../../errors.js';
import { disableMount, enableMount, normalizeMountPath, readMounts, tuneMount, type Mount, type RandomBytes } from '../../sys/mounts.js';
import { findMount } from '../../sys/mount-resolver.js';
import type { JsonObject } from '../../json.js';
import { dataResponse, none, type AcceptedFields, type LogicalResponse, type Served } from '../logical.js';
import type { RouteContext } from './route-context.js';
import type { DynamicLoader } from '../dynamic-loader.js';
import { listLeaseIds } from '../../sys/lease-storage.js';

// The fields of enabling a mount and of tuning one (vault/logical_system_paths.go); auth
// methods are enabled and tuned with the same (sys-auth.ts).
export const mountFields = ['path', 'type', 'description', 'config', 'local', 'seal_wrap', 'external_entropy_access', 'plugin_name', 'plugin_version', 'options'] as const satisfies AcceptedFields;
export const tuneFields = [
  'path',
  'default_lease_ttl',
  'max_lease_ttl',
  'description',
  'audit_non_hmac_request_keys',
  'audit_non_hmac_response_keys',
  'options',
  'listing_visibility',
  'passthrough_request_headers',
  'allowed_response_headers',
  'token_type',
  'plugin_version',
] as const satisfies AcceptedFields;

// The fields each path defines, in one place.
const pathFields = {
  mounts: [],
  mount: mountFields,
  tune: tuneFields,
  uiMount: ['path'],
} as const satisfies Record<string, AcceptedFields>;

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
export function routeSysMounts(rest: string, context: RouteContext, random: RandomBytes, dynamic: DynamicLoader): Served {
  const path = rest.replace(/^\/+/, '');
  const fields = path === '' ? pathFields.mounts : path.endsWith('/tune') ? pathFields.tune : pathFields.mount;
  return { response: serveSysMounts(path, context, random, dynamic), fields };
}

// Disabling a mount that issued leases revokes them first, as Vault does: outside the
// transaction (the databases are called), then the mount goes in a transaction of its own.
// A revocation that fails keeps the mount (and says why).
function disableWithLeases(path: string, context: RouteContext, dynamic: DynamicLoader): LogicalResponse {
  const mountPath = normalizeMountPath(path);
  const mount = readMounts(context.storage)[mountPath];
  if (mount?.type !== 'database' || listLeaseIds(context.storage, mountPath).length === 0) {
    disableMount(context.storage, path);
    return none;
  }
  return {
    kind: 'deferred',
    async run(deferred) {
      await (await dynamic.load()).revokeMount(deferred, mountPath);
      await deferred.update((storage) => disableMount(storage, path));
      return none;
    },
  };
}

function serveSysMounts(path: string, context: RouteContext, random: RandomBytes, dynamic: DynamicLoader): LogicalResponse {
  const { request, storage } = context;
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
      return disableWithLeases(path, context, dynamic);
    default:
      return unsupported();
  }
}

// `sys/internal/ui/mounts/<path>`: which mount holds a path, as the vault CLI asks before every
// `kv` command. A path no mount holds is refused exactly as a path the caller may not see.
export function readUiMount(rest: string, context: RouteContext): Served {
  return { response: findUiMount(rest, context), fields: pathFields.uiMount };
}

function findUiMount(rest: string, context: RouteContext): LogicalResponse {
  const path = rest.replace(/^\/+/, '');
  const match = findMount(readMounts(context.storage), path);
  if (match === undefined || path === '') throw preflightDenied(path);
  return dataResponse({ ...(match.mount as unknown as JsonObject), path: match.path });
}

