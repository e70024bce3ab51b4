import { SecretrunError } from '../errors.js';
import type { Storage } from '../store/storage.js';
import { isRoot, readTokenRecord, type Caller } from './token-record.js';

// Who may do what, until ACL policies exist: root tokens may do everything; any other valid
// token holds only what Vault's `default` policy grants on its own token. Everything else is
// refused (fail closed), exactly as Vault refuses a token whose named policies do not exist.

// The parts of a request authentication looks at.
export interface AuthRequest {
  /** Vault's logical operation: `read`, `list`, `create`, `update`, `patch`, `delete`. */
  operation: string;
  path: string;
  token: string | undefined;
}

// Paths Vault serves without a token.
const unauthenticated = new Set(['sys/health', 'sys/seal-status']);

// What Vault's `default` policy grants every token (on the caller's own token only).
const defaultPolicy: ReadonlyArray<{ path: string; operations: readonly string[] }> = [
  { path: 'auth/token/lookup-self', operations: ['read'] },
  { path: 'auth/token/renew-self', operations: ['update', 'create'] },
  { path: 'auth/token/revoke-self', operations: ['update', 'create'] },
];

// A missing, unknown or expired token (Vault ≤1.16 and OpenBao wording).
function invalidToken(): SecretrunError {
  return new SecretrunError('permission_denied', 'permission denied');
}

// A valid token its policies do not cover (the ACL's go-multierror wording).
function deniedByPolicy(): SecretrunError {
  return new SecretrunError('permission_denied', '1 error occurred:\n\t* permission denied\n\n');
}

// Checks a request's token against the store. Returns the caller, or undefined for paths that
// need no token; throws permission_denied otherwise. Runs inside the request's own read or
// transaction so the token and the data are seen at the same moment.
export function authenticateRequest(request: AuthRequest, storage: Storage, now: number): Caller | undefined {
  if (unauthenticated.has(request.path)) return undefined;
  const token = request.token;
  if (token === undefined || token === '') throw invalidToken();
  const record = readTokenRecord(storage, token, now);
  if (record === undefined) throw invalidToken();
  const caller = { token, record };
  if (isRoot(record)) return caller;
  if (defaultPolicy.some((rule) => rule.path === request.path && rule.operations.includes(request.operation))) return caller;
  if (request.path.startsWith('sys/internal/ui/mounts/')) {
    const shown = `${request.path.slice('sys/internal/ui/mounts/'.length).replace(/^\/+|\/+$/g, '')}/`;
    throw new SecretrunError('permission_denied', `preflight capability check returned 403, please ensure client's policies grant access to path "${shown}"`);
  }
  throw deniedByPolicy();
}
