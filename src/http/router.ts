import { SecretrunError } from '../errors.js';
import { readV1 } from '../kv/kv-v1.js';
import { loadKeyMetadata } from '../kv/kv-v2-storage.js';
import type { Storage } from '../store/storage.js';
import { readMounts, type RandomBytes } from '../sys/mounts.js';
import { findMount, resolveKvPath } from '../sys/mount-resolver.js';
import type { DynamicLoader } from './dynamic-loader.js';
import type { AcceptedFields, LogicalRequest, LogicalResponse, Served } from './logical.js';
import { databaseExistenceOf, legacyLeasePath, routeDatabase, routeLeases } from './routes/dynamic-routes.js';
import { routeKvV1 } from './routes/kv-v1.js';
import { routeKvV2 } from './routes/kv-v2.js';
import type { RouteContext } from './routes/route-context.js';
import type { SysAuditOptions } from './routes/sys-audit.js';
import type { AccessRouteLoader } from './access-route-loader.js';
import { readUiMount, routeSysMounts } from './routes/sys-mounts.js';

// A route's answer, the fields its path defines, and the mount type Vault reports beside it
// (`mount_type`).
export interface RoutedResponse {
  response: LogicalResponse;
  fields: AcceptedFields;
  mountType: string | undefined;
}

export interface RouterOptions extends SysAuditOptions {
  random: RandomBytes;
  /** The database engine and lease manager, loaded when a request needs them. */
  dynamic: DynamicLoader;
  /** Access control's routes, loaded by the handler before a request that needs them. */
  access: AccessRouteLoader;
}

function noRoute(path: string): never {
  throw new SecretrunError('unsupported_path', `no handler for route "${path}". route entry not found.`);
}

// `sys/health` and `sys/seal-status` are answered by the handler before the store is touched
// (handler.ts), so that they answer even when the store fails its checks.
// The paths needsAccessRoutes (access-route-loader.ts) leaves out are served here first.
function routeSys(rest: string, context: RouteContext, options: RouterOptions): Served {
  if ((rest === 'mounts' || rest.startsWith('mounts/')) && !rest.startsWith('mounts/auth/')) {
    return routeSysMounts(rest.slice('mounts'.length), context, options.random, options.dynamic);
  }
  if (rest.startsWith('leases/')) return routeLeases(rest.slice('leases/'.length), options.dynamic);
  const legacy = legacyLeasePath(rest);
  if (legacy !== undefined) return routeLeases(legacy, options.dynamic);
  if (rest.startsWith('internal/ui/mounts/')) {
    if (context.request.operation === 'read') return readUiMount(rest.slice('internal/ui/mounts/'.length), context);
    return noRoute(`sys/${rest}`);
  }
  const routes = options.access.routes();
  const access = routes.routeSysAccess(rest, context, options.random);
  if (access !== undefined) return access;
  if (rest.startsWith('mounts/')) return routeSysMounts(rest.slice('mounts'.length), context, options.random, options.dynamic);
  if (rest === 'audit' || rest.startsWith('audit/')) return routes.routeSysAudit(rest.slice('audit'.length), context, options);
  if (rest.startsWith('audit-hash/')) return routes.routeSysAuditHash(rest.slice('audit-hash/'.length), context);
  return noRoute(`sys/${rest}`);
}

// Finds what serves a logical path — a system endpoint or the mount holding it — and runs it.
export function routeRequest(context: RouteContext, options: RouterOptions): RoutedResponse {
  const { path } = context.request;
  if (path.startsWith('sys/')) return routed(routeSys(path.slice('sys/'.length), context, options), 'system');
  if (path.startsWith('auth/token/')) return routed(options.access.routes().routeAuthToken(path.slice('auth/token/'.length), context, options.random), 'token');
  if (path.startsWith('auth/')) {
    const method = options.access.routes().routeAuthMethod(path.slice('auth/'.length), context, options.random);
    return method === undefined ? noRoute(path) : routed(method.served, method.type);
  }
  const mounts = readMounts(context.storage);
  const target = resolveKvPath(context.storage, mounts, path);
  if (target === undefined) {
    const match = findMount(mounts, path);
    if (match?.mount.type === 'database') return routed(routeDatabase(match, options.dynamic), 'database');
    return noRoute(path);
  }
  if (target.version === 2) return routed(routeKvV2(target.scope, target.rest, context), 'kv');
  // A KV v1 secret is whatever fields the request carries.
  return { response: routeKvV1(target.scope, target.rest, context), fields: 'any', mountType: 'kv' };
}

// Vault's existence check for a write (vault/request_handling.go): whether the target of an
// update exists, so that the ACL asks for `update` when it does and `create` when it does not.
// Undefined for every other request and for paths without a check (config, delete/, undelete/,
// destroy/ and the system paths are always updates). KV v2 `data/` and `metadata/` exist with
// the key's metadata; a KV v1 key exists when stored.
export function existenceOf(storage: Storage, request: LogicalRequest, access: AccessRouteLoader): boolean | undefined {
  if (request.operation !== 'update' || request.path.startsWith('sys/') || request.path.startsWith('auth/token/')) return undefined;
  if (request.path.startsWith('auth/')) return access.routes().authExistenceOf(storage, request);
  const mounts = readMounts(storage);
  const target = resolveKvPath(storage, mounts, request.path);
  if (target === undefined) {
    const match = findMount(mounts, request.path);
    return match?.mount.type === 'database' ? databaseExistenceOf(storage, match.mount.uuid, match.rest) : undefined;
  }
  if (target.version === 1) return readV1(target.scope, target.rest) !== undefined;
  const slash = target.rest.indexOf('/');
  const head = slash === -1 ? target.rest : target.rest.slice(0, slash);
  if (head !== 'data' && head !== 'metadata') return undefined;
  return loadKeyMetadata(target.scope, target.rest.slice(slash + 1)) !== undefined;
}

// Built field by field rather than spread: this runs on every request (see bench/server).
function routed(served: Served, mountType: string): RoutedResponse {
  return { response: served.response, fields: served.fields, mountType };
}
