import { SecretrunError } from '../errors.js';
import { readMounts, type RandomBytes } from '../sys/mounts.js';
import { resolveKvPath } from '../sys/mount-resolver.js';
import type { AcceptedFields, LogicalResponse, Served } from './logical.js';
import { routeAuthToken } from './routes/auth-token.js';
import { routeKvV1 } from './routes/kv-v1.js';
import { routeKvV2 } from './routes/kv-v2.js';
import type { RouteContext } from './routes/route-context.js';
import { readUiMount, routeSysMounts } from './routes/sys-mounts.js';

// A route's answer, the fields its path defines, and the mount type Vault reports beside it
// (`mount_type`).
export interface RoutedResponse {
  response: LogicalResponse;
  fields: AcceptedFields;
  mountType: string | undefined;
}

export interface RouterOptions {
  random: RandomBytes;
}

function noRoute(path: string): never {
  throw new SecretrunError('unsupported_path', `no handler for route "${path}". route entry not found.`);
}

// `sys/health` and `sys/seal-status` are answered by the handler before the store is touched
// (handler.ts), so that they answer even when the store fails its checks.
function routeSys(rest: string, context: RouteContext, options: RouterOptions): Served {
  if (rest === 'mounts' || rest.startsWith('mounts/')) return routeSysMounts(rest.slice('mounts'.length), context, options.random);
  if (rest.startsWith('internal/ui/mounts/') && context.request.operation === 'read') {
    return readUiMount(rest.slice('internal/ui/mounts/'.length), context);
  }
  return noRoute(`sys/${rest}`);
}

// Finds what serves a logical path — a system endpoint or the mount holding it — and runs it.
export function routeRequest(context: RouteContext, options: RouterOptions): RoutedResponse {
  const { path } = context.request;
  if (path.startsWith('sys/')) return routed(routeSys(path.slice('sys/'.length), context, options), 'system');
  if (path.startsWith('auth/token/')) return routed(routeAuthToken(path.slice('auth/token/'.length), context, options.random), 'token');
  const target = resolveKvPath(context.storage, readMounts(context.storage), path);
  if (target === undefined) return noRoute(path);
  if (target.version === 2) return routed(routeKvV2(target.scope, target.rest, context), 'kv');
  // A KV v1 secret is whatever fields the request carries.
  return { response: routeKvV1(target.scope, target.rest, context), fields: 'any', mountType: 'kv' };
}

// Built field by field rather than spread: this runs on every request (see bench/server).
function routed(served: Served, mountType: string): RoutedResponse {
  return { response: served.response, fields: served.fields, mountType };
}
