import { listAccessors, readAccessorHash } from '../../auth/token-accessor.js';
import type { RandomBytes } from '../../auth/token-id.js';
import type { TokenRecord } from '../../auth/token-record.js';
import { renderAuthBlock, renderTokenLookup } from '../../auth/token-render.js';
import { renewToken } from '../../auth/token-renew.js';
import { readLiveRecord, readLiveToken } from '../../auth/token-store.js';
import { tidyTokens } from '../../auth/token-tidy.js';
import { revokeOrphan, revokeTree } from '../../auth/token-tree.js';
import { SecretrunError, invalidRequest } from '../../errors.js';
import { sortGoStrings } from '../../go/string-order.js';
import type { JsonValue } from '../../json.js';
import { decodeDurationSeconds } from '../../kv/field-decode.js';
import { dataResponse, none, type LogicalResponse, type Served } from '../logical.js';
import { createFields, createTokenRoute } from './auth-token-create.js';
import type { RouteContext } from './route-context.js';

// auth/token/*: Vault's token store paths — create, lookup, renew and revoke, by token, by
// accessor or of the caller itself. Without a caller (the in-process local CLI, whose key is
// root) the `-self` paths have no token to act on; everything else works as for root.

const pathFields = {
  lookup: ['token'],
  'lookup-self': ['token'],
  'lookup-accessor': ['accessor'],
  renew: ['token', 'increment'],
  'renew-self': ['token', 'increment'],
  'renew-accessor': ['accessor', 'increment'],
  revoke: ['token'],
  'revoke-self': [],
  'revoke-accessor': ['accessor'],
  'revoke-orphan': ['token'],
  accessors: [],
  tidy: [],
} as const;

function noRoute(path: string): never {
  throw new SecretrunError('unsupported_path', `no handler for route "${path}". route entry not found.`);
}

// A token or accessor field: text, else missing.
function textField(context: RouteContext, field: string): string {
  const value = context.request.data[field];
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function missingToken(): SecretrunError {
  return invalidRequest('missing token ID');
}

function missingAccessor(): SecretrunError {
  return invalidRequest('missing accessor');
}

// The token a request names in `token`, else the caller's own (Vault's handleLookup).
function namedToken(context: RouteContext, field: 'token' | 'self'): string {
  const token = field === 'token' ? textField(context, 'token') : '';
  return token !== '' ? token : context.caller?.token ?? '';
}

function lookup(context: RouteContext, token: string): LogicalResponse {
  if (token === '') throw missingToken();
  const { caller } = context;
  // The caller's own record as it was for this request (even if this use was its last).
  const record = caller !== undefined && caller.token === token ? caller.record : readLiveToken(context.storage, token, context.now);
  if (record === undefined) throw new SecretrunError('permission_denied', 'bad token');
  return dataResponse(renderTokenLookup(record, token, context.now));
}

function lookupAccessor(context: RouteContext): LogicalResponse {
  const accessor = textField(context, 'accessor');
  if (accessor === '') throw missingAccessor();
  const hash = readAccessorHash(context.storage, accessor);
  if (hash === undefined) throw invalidRequest('invalid accessor');
  const record = readLiveRecord(context.storage, hash, context.now);
  if (record === undefined) throw new SecretrunError('permission_denied', 'bad token');
  return dataResponse(renderTokenLookup(record, '', context.now));
}

function renew(context: RouteContext, record: TokenRecord | undefined, clientToken: string): LogicalResponse {
  if (record === undefined) throw invalidRequest('token not found');
  const increment = decodeDurationSeconds(context.request.data['increment'], 'increment');
  const renewed = renewToken(context.storage, record, Math.max(0, increment), context.now);
  const auth = renderAuthBlock({ token: clientToken, record: renewed.record }, renewed.ttl);
  return { kind: 'data', data: null, auth, ...(renewed.warnings.length === 0 ? {} : { warnings: renewed.warnings }) };
}

function renewByToken(context: RouteContext, token: string): LogicalResponse {
  if (token === '') throw missingToken();
  return renew(context, readLiveToken(context.storage, token, context.now), token);
}

function renewByAccessor(context: RouteContext): LogicalResponse {
  const accessor = textField(context, 'accessor');
  if (accessor === '') throw missingAccessor();
  const hash = readAccessorHash(context.storage, accessor);
  if (hash === undefined) throw invalidRequest('invalid accessor');
  return renew(context, readLiveRecord(context.storage, hash, context.now), '');
}

// Revokes a token and its descendants; an unknown token is not an error (Vault's revokeCommon).
function revokeByToken(context: RouteContext, token: string): LogicalResponse {
  if (token === '') throw missingToken();
  const record = readLiveToken(context.storage, token, context.now);
  if (record !== undefined) revokeTree(context.storage, record.hash);
  return none;
}

function revokeByAccessor(context: RouteContext): LogicalResponse {
  const accessor = textField(context, 'accessor');
  if (accessor === '') throw missingAccessor();
  const hash = readAccessorHash(context.storage, accessor);
  if (hash === undefined) return { kind: 'none', warnings: ['No token found with this accessor'] };
  const record = readLiveRecord(context.storage, hash, context.now);
  if (record === undefined) throw invalidRequest('token not found');
  revokeTree(context.storage, record.hash);
  return none;
}

// Revokes a token and leaves its children as orphans; for root or sudo callers only.
function revokeKeepingChildren(context: RouteContext): LogicalResponse {
  const token = textField(context, 'token');
  if (token === '') throw missingToken();
  const { caller } = context;
  if (caller !== undefined && caller.sudo !== true && !caller.record.policies.includes('root')) {
    throw invalidRequest('root or sudo privileges required to revoke and orphan');
  }
  const record = readLiveToken(context.storage, token, context.now);
  if (record === undefined) throw invalidRequest('token to revoke not found');
  revokeOrphan(context.storage, record.hash);
  return none;
}

// LIST auth/token/accessors: the accessors of every live token.
function listLiveAccessors(context: RouteContext): LogicalResponse {
  const live = listAccessors(context.storage).filter((entry) => readLiveRecord(context.storage, entry.hash, context.now)?.accessor === entry.accessor);
  return dataResponse({ keys: sortGoStrings(live.map((entry) => entry.accessor)) as JsonValue });
}

function tidy(context: RouteContext): LogicalResponse {
  tidyTokens(context.storage, context.now);
  return { kind: 'raw', status: 202, data: null, warnings: ['Tidy operation successfully started. Any information from the operation will be printed to Vault\'s server logs.'] };
}

// The operations each path answers; `write` is update (or create, after an existence check).
function answer(rest: string, context: RouteContext, random: RandomBytes): LogicalResponse | undefined {
  const { operation } = context.request;
  const write = operation === 'update' || operation === 'create';
  const read = operation === 'read';
  if (rest === 'create' && write) return createTokenRoute(context, random, false);
  if (rest === 'create-orphan' && write) return createTokenRoute(context, random, true);
  if (rest === 'lookup' && (read || write)) return lookup(context, namedToken(context, 'token'));
  if (rest === 'lookup-self' && (read || write)) return lookup(context, namedToken(context, 'self'));
  if (rest === 'lookup-accessor' && write) return lookupAccessor(context);
  if (rest === 'renew' && write) return renewByToken(context, textField(context, 'token'));
  if (rest === 'renew-self' && write) {
    const { caller } = context;
    return caller === undefined ? renewByToken(context, '') : renew(context, readLiveRecord(context.storage, caller.record.hash, context.now), caller.token);
  }
  if (rest === 'renew-accessor' && write) return renewByAccessor(context);
  if (rest === 'revoke' && write) return revokeByToken(context, textField(context, 'token'));
  if (rest === 'revoke-self' && write) return revokeByToken(context, context.caller?.token ?? '');
  if (rest === 'revoke-accessor' && write) return revokeByAccessor(context);
  if (rest === 'revoke-orphan' && write) return revokeKeepingChildren(context);
  if (rest === 'accessors/' && operation === 'list') return listLiveAccessors(context);
  if (rest === 'tidy' && write) return tidy(context);
  return undefined;
}

// Routes `rest`, the path after `auth/token/`.
export function routeAuthToken(rest: string, context: RouteContext, random: RandomBytes): Served {
  const response = answer(rest, context, random);
  if (response === undefined) return noRoute(`auth/token/${rest}`);
  const name = rest === 'accessors/' ? 'accessors' : rest;
  const fields = name === 'create' || name === 'create-orphan' ? createFields : pathFields[name as keyof typeof pathFields];
  return { response, fields };
}
