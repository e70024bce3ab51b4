import type { RandomBytes } from '../../auth/token-id.js';
import type { Storage } from '../../store/storage.js';
import { findAuthMethod, readAuthMethods } from '../../sys/auth-methods.js';
import type { LogicalRequest, Served } from '../logical.js';
import { approleExistence, routeApprole } from './auth-approle.js';
import { routeUserpass, userpassExistence } from './auth-userpass.js';
import type { RouteContext } from './route-context.js';

// `auth/<path>/...` for the methods enabled in the auth table (sys/auth-methods.ts), dispatched
// by type. `auth/token/` is routed before this (auth-token.ts).

// A served request under an enabled method, with its type as Vault's `mount_type`; undefined
// when no method is enabled at the path.
export function routeAuthMethod(path: string, context: RouteContext, random: RandomBytes): { served: Served; type: string } | undefined {
  const match = findAuthMethod(readAuthMethods(context.storage), path);
  if (match === undefined) return undefined;
  switch (match.method.type) {
    case 'userpass':
      return { served: routeUserpass(match, context, random), type: 'userpass' };
    case 'approle':
      return { served: routeApprole(match, context, random), type: 'approle' };
    default:
      return undefined;
  }
}

// The existence check of a write under `auth/` (users and roles have one; nothing else does).
export function authExistenceOf(storage: Storage, request: LogicalRequest): boolean | undefined {
  const match = findAuthMethod(readAuthMethods(storage), request.path.slice('auth/'.length));
  if (match === undefined) return undefined;
  if (match.method.type === 'userpass') return userpassExistence(storage, match.method, match.rest);
  if (match.method.type === 'approle') return approleExistence(storage, match.method, match.rest);
  return undefined;
}
