import { SecretrunError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { disableAuthMethod, effectiveLeaseTtls, enableAuthMethod, readAuthMethods, tuneAuthMethod, type AuthMethod } from '../../sys/auth-methods.js';
import { normalizeMountPath, type RandomBytes } from '../../sys/mounts.js';
import { none, type AcceptedFields, type LogicalResponse, type Served } from '../logical.js';
import type { RouteContext } from './route-context.js';
import { mountFields, tuneFields } from './sys-mounts.js';

// `sys/auth` (the table), `sys/auth/<path>` (enable, read, disable) and the tune endpoints
// `sys/auth/<path>/tune` and `sys/mounts/auth/<path>/tune` (where the vault CLI's `auth tune`
// sends it). Every answer's data is also copied to the top level (HTTPSysInjector).

const pathFields = {
  table: [],
  method: mountFields,
  tune: tuneFields,
} as const satisfies Record<string, AcceptedFields>;

function unsupported(): never {
  throw new SecretrunError('unsupported_operation', 'unsupported operation');
}

function legacy(data: JsonObject): LogicalResponse {
  return { kind: 'data', data, legacySys: true };
}

// Vault's tune read: the effective lease TTLs (the system's where the method has none).
function tuneView(method: AuthMethod): JsonObject {
  const { defaultTtl, maxTtl } = effectiveLeaseTtls(method);
  const view: JsonObject = {
    default_lease_ttl: defaultTtl,
    description: method.description,
    force_no_cache: method.config.force_no_cache,
    max_lease_ttl: maxTtl,
  };
  if (method.options !== null && Object.keys(method.options).length > 0) view['options'] = method.options;
  view['token_type'] = method.config.token_type;
  return view;
}

// `.../tune` of the method at `path` (read or write).
export function routeAuthTune(path: string, context: RouteContext): Served {
  const { request, storage } = context;
  const methodPath = normalizeMountPath(path);
  let response: LogicalResponse;
  if (request.operation === 'read') {
    const method = readAuthMethods(storage)[methodPath];
    if (method === undefined) throw new SecretrunError('invalid_request', `cannot fetch sysview for path "auth/${methodPath}"`);
    response = legacy(tuneView(method));
  } else if (request.operation === 'update' || request.operation === 'create') {
    tuneAuthMethod(storage, methodPath, request.data);
    response = none;
  } else {
    unsupported();
  }
  return { response, fields: pathFields.tune };
}

// `sys/auth[/<path>[/tune]]`; `rest` is what follows `auth`.
export function routeSysAuth(rest: string, context: RouteContext, random: RandomBytes): Served {
  const { request, storage } = context;
  const path = rest.replace(/^\/+/, '');
  if (path === '') {
    if (request.operation !== 'read') return unsupported();
    return { response: legacy(readAuthMethods(storage) as unknown as JsonObject), fields: pathFields.table };
  }
  if (path.endsWith('/tune')) return routeAuthTune(path.slice(0, -'/tune'.length), context);
  const served = (response: LogicalResponse): Served => ({ response, fields: pathFields.method });
  switch (request.operation) {
    case 'read': {
      const method = readAuthMethods(storage)[normalizeMountPath(path)];
      if (method === undefined) throw new SecretrunError('invalid_request', `No auth engine at ${normalizeMountPath(path)}`);
      return served(legacy(method as unknown as JsonObject));
    }
    case 'create':
    case 'update':
      enableAuthMethod(storage, path, request.data, random);
      return served(none);
    case 'delete':
      disableAuthMethod(storage, path);
      return served(none);
    default:
      return unsupported();
  }
}
