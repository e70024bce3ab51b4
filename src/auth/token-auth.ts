import { SecretrunError } from '../errors.js';
import type { Storage } from '../store/storage.js';
import { addressInCidrs } from './bound-cidrs.js';
import { writeTokenRecord, type Caller } from './token-record.js';
import { readLiveToken } from './token-store.js';
import { revokeTree } from './token-tree.js';

// Who is asking: the token of a request → its caller, as Vault's CheckToken does before any
// policy is looked at. Every refusal is the same 403 `permission denied` (SPEC.md §1.6), so a
// client learns nothing about why a token does not work.

// The parts of a request authentication looks at.
export interface AuthRequest {
  /** Vault's logical operation: `read`, `list`, `create`, `update`, `patch`, `delete`. */
  operation: string;
  path: string;
  token: string | undefined;
}

// Where the request is authenticated: inside a transaction (a use of a use-limited token can
// be spent) or a read, and the client's address (for a token's bound CIDRs).
export interface AuthenticateContext {
  transaction: boolean;
  remoteAddress: string;
}

// Authenticates one request inside its read or transaction; undefined for paths served
// without a token, a Caller otherwise; throws permission_denied.
export type TokenAuthenticator = (request: AuthRequest, storage: Storage, now: number, context: AuthenticateContext) => Caller | undefined;

export interface TokenAuthenticatorOptions {
  /** Other paths served without a token: the login paths of enabled auth methods. */
  unauthenticated?: (request: AuthRequest, storage: Storage) => boolean;
}

// Paths Vault serves without a token.
const alwaysOpen = new Set(['sys/health', 'sys/seal-status']);

// A missing, unknown, expired, revoked, spent or out-of-bounds token (Vault ≤1.16 and OpenBao wording).
function invalidToken(): SecretrunError {
  return new SecretrunError('permission_denied', 'permission denied');
}

// Builds the handler's authenticate hook. A token with a use limit spends one use per request,
// in the request's own transaction; met in a read it is returned with `needsTransaction`, and
// the handler runs the request again as a transaction. After its last use the token and its
// descendants are revoked in that transaction, while the request itself is still served.
export function createTokenAuthenticator(options: TokenAuthenticatorOptions = {}): TokenAuthenticator {
  return (request, storage, now, context) => {
    // The token store's own paths always need a token: without one its routes act for the
    // local store's key holder, who is root.
    const open = alwaysOpen.has(request.path) || (!request.path.startsWith('auth/token/') && options.unauthenticated?.(request, storage) === true);
    if (open) return undefined;
    const token = request.token;
    if (token === undefined || token === '') throw invalidToken();
    const record = readLiveToken(storage, token, now);
    if (record === undefined || !addressInCidrs(context.remoteAddress, record.bound_cidrs)) throw invalidToken();
    if (record.num_uses === 0) return { token, record };
    if (!context.transaction) return { token, record, useLimited: true, needsTransaction: true };
    if (record.num_uses === 1) {
      revokeTree(storage, record.hash);
      return { token, record: { ...record, num_uses: -1 }, useLimited: true };
    }
    const spent = { ...record, num_uses: record.num_uses - 1 };
    writeTokenRecord(storage, spent);
    return { token, record: spent, useLimited: true };
  };
}
