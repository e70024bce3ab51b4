import type { Caller } from '../auth/token-record.js';
import { isSecretrunError, type ErrorCode } from '../errors.js';
import type { JsonObject } from '../json.js';
import type { Storage } from '../store/storage.js';
import { findMount } from '../sys/mount-resolver.js';
import { kvVersionOf, readMounts } from '../sys/mounts.js';
import type { AuditIdentity, AuditMount, AuditRecord } from './audit-entry.js';

// What an audit entry says about a request, gathered from the handler's view of it: who asked
// (the token's record), which mount serves the path, and whether the response will carry
// stored values. Pure over the request's storage view.

// The request as the handler hands it to the audit devices.
export interface AuditRequestEvent {
  request: { id: string; operation: string; path: string; data: JsonObject; token: string | undefined };
  caller: Caller | undefined;
  remoteAddress: string;
  remotePort?: number | undefined;
  /** Milliseconds since the epoch. */
  now: number;
  error?: unknown;
}

// Vault's zero logical.Auth: a request without a token (a login, sys/health).
const anonymous: AuditIdentity = { tokenType: 'default' };

// RFC 3339 without fraction, as Vault writes token_issue_time.
function formatIssueTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

// The identity of a token holder.
export function buildTokenIdentity(caller: Caller, allowed: boolean | undefined): AuditIdentity {
  const { record } = caller;
  const root = record.policies.includes('root');
  return {
    clientToken: caller.token,
    accessor: record.accessor,
    displayName: record.display_name,
    policies: record.policies,
    tokenPolicies: record.policies,
    metadata: record.meta,
    // The uses left after this request's (the handler spent it before auditing); -1 is spent.
    remainingUses: caller.useLimited === true ? Math.max(0, record.num_uses) : undefined,
    tokenType: 'service',
    tokenTtl: record.ttl,
    tokenIssueTime: formatIssueTime(record.created_ms),
    allowed,
    grantingPolicies: root && allowed === true ? ['root'] : undefined,
  };
}

// The mount holding a path, as Vault fills req.MountPoint and the like before auditing, and
// which numbers of a read's response are stored values: a KV v1 secret is the whole data, a
// KV v2 secret the `data` beside its metadata.
function mountOf(storage: Storage, operation: string, path: string): { mount: AuditMount | undefined; storedNumbers: AuditRecord['storedNumbers'] } {
  if (path.startsWith('auth/')) {
    const point = /^auth\/[^/]+\//.exec(path.endsWith('/') ? path : `${path}/`)?.[0];
    const mount = point === undefined ? undefined : { point, type: point === 'auth/token/' ? 'token' : '', accessor: '', class: 'auth', runningVersion: '' };
    return { mount, storedNumbers: 'none' };
  }
  const match = findMount(readMounts(storage), path);
  if (match === undefined) return { mount: undefined, storedNumbers: 'none' };
  const { mount } = match;
  const version = operation === 'read' ? kvVersionOf(mount) : undefined;
  const storedNumbers = version === 1 ? 'all' : version === 2 && match.rest.startsWith('data/') ? 'data' : 'none';
  return { mount: { point: match.path, type: mount.type, accessor: mount.accessor, class: 'secret', runningVersion: mount.running_plugin_version }, storedNumbers };
}

// The codes of refusals a client caused; anything else is the server's failure, which an entry
// records as Vault's bare `internal error`.
const clientCodes = new Set<ErrorCode>([
  'invalid_request',
  'permission_denied',
  'not_found',
  'unsupported_operation',
  'unsupported_path',
  'payload_too_large',
  'unsupported_media_type',
  'usage',
  'input',
]);

// The `error` of an entry: what the client was told (never values: our messages hold none).
export function renderAuditError(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  if (!isSecretrunError(error) || !clientCodes.has(error.code)) return 'internal error';
  const text = [error.message, ...error.details].filter((part) => part !== '').join('; ');
  return text === '' ? error.code.replace(/_/g, ' ') : text;
}

// Builds the request side of a request's entries. `local` is who the in-process CLI acts as
// (it holds the store key, so no token); undefined on the server, where a request without a
// token is Vault's anonymous one.
export function buildAuditRecord(storage: Storage, event: AuditRequestEvent, local: AuditIdentity | undefined): AuditRecord {
  const { request, caller } = event;
  const refused = isSecretrunError(event.error) && event.error.code === 'permission_denied';
  const identity = caller !== undefined ? buildTokenIdentity(caller, !refused) : (local ?? anonymous);
  const { mount, storedNumbers } = mountOf(storage, request.operation, request.path);
  return {
    id: request.id,
    operation: request.operation,
    path: request.path,
    data: request.data,
    clientToken: request.token,
    identity,
    mount,
    remoteAddress: event.remoteAddress,
    remotePort: event.remotePort ?? 0,
    storedNumbers,
  };
}
