import { SecretrunError } from '../errors.js';
import type { JsonObject } from '../json.js';
import type { Storage } from '../store/storage.js';
import { readMounts } from '../sys/mounts.js';
import { findMount } from '../sys/mount-resolver.js';
import { createAclSource, type AclSource } from './acl-source.js';
import { addressInCidrs } from './bound-cidrs.js';
import type { Operation } from './policy.js';
import { isRoot, type Caller } from './token-record.js';
import { readLiveToken } from './token-store.js';
import { preflightDenied, preflightPrefix } from './unauthenticated-paths.js';

// The ACL in the request path (the handler's `authorize` hook): after authentication, in the
// same read or transaction, the caller's policies decide whether the request may go on. Root
// tokens skip the ACL; every other token is held to the one rule governing the path (acl.ts),
// with the route's existence check turning an update of something missing into a `create`,
// and the request's data checked against the rule's parameter constraints.

// The parts of a request authorisation looks at (http/logical.ts LogicalRequest has them).
export interface AuthorizeRequest {
  operation: Operation;
  path: string;
  data: JsonObject;
  token: string | undefined;
  /** The client's address: the preflight holds its token to the token's bound CIDRs. */
  remoteAddress: string;
}

// The hook: throws permission_denied to refuse, returns to let the request through.
export type Authorizer = (request: AuthorizeRequest, caller: Caller | undefined, storage: Storage, existing: boolean | undefined) => void;

export interface AuthorizerOptions {
  /** Milliseconds since the epoch: the preflight checks its token's expiry against it. */
  now?: () => number;
  source?: AclSource;
}

// A token that is missing, unknown or expired (Vault ≤1.16 and OpenBao wording).
function invalidToken(): SecretrunError {
  return new SecretrunError('permission_denied', 'permission denied');
}

// A valid token its policies do not cover, in the go-multierror wording Vault's ACL check gives.
export function deniedByPolicy(): SecretrunError {
  return new SecretrunError('permission_denied', '1 error occurred:\n\t* permission denied\n\n');
}


// Creates the handler's authorize hook over one ACL cache.
export function createAuthorizer(options: AuthorizerOptions = {}): Authorizer {
  const now = options.now ?? Date.now;
  const source = options.source ?? createAclSource();

  // Vault's pathInternalUIMountRead: a path no mount holds is answered by the route with the
  // preflight text; otherwise the token must be valid and reach the mount (hasMountAccess).
  const authorizePreflight = (request: AuthorizeRequest, storage: Storage): void => {
    const target = request.path.slice(preflightPrefix.length).replace(/^\/+/, '');
    const match = findMount(readMounts(storage), target);
    if (match === undefined || target === '') return;
    const token = request.token;
    const record = token === undefined || token === '' ? undefined : readLiveToken(storage, token, now());
    if (record === undefined || !addressInCidrs(request.remoteAddress, record.bound_cidrs)) throw invalidToken();
    if (isRoot(record)) return;
    if (!source.aclFor(storage, record.policies).hasMountAccess(match.path)) throw preflightDenied(target);
  };

  return (request, caller, storage, existing) => {
    if (caller === undefined) {
      // Only unauthenticated paths reach here without a caller (isUnauthenticatedPath).
      if (request.operation === 'read' && request.path.startsWith(preflightPrefix)) authorizePreflight(request, storage);
      return;
    }
    if (isRoot(caller.record)) {
      caller.sudo = true;
      return;
    }
    const acl = source.aclFor(storage, caller.record.policies);
    const decision = acl.decide(
      existing === undefined
        ? { path: request.path, operation: request.operation, data: request.data }
        : { path: request.path, operation: request.operation, data: request.data, existing },
    );
    if (!decision.allowed) throw deniedByPolicy();
    // What the token routes ask before acting beyond the caller's own policies (Vault's SudoPrivilege).
    caller.sudo = decision.sudo;
  };
}
