import { createAclSource } from '../../auth/acl-source.js';
import type { TokenRecord } from '../../auth/token-record.js';
import { readLiveByAccessor, readLiveToken } from '../../auth/token-store.js';
import { SecretrunError, invalidRequest } from '../../errors.js';
import type { JsonObject, JsonValue } from '../../json.js';
import type { AcceptedFields, LogicalResponse, Served } from '../logical.js';
import type { RouteContext } from './route-context.js';

// `sys/capabilities` (a token given in the body), `sys/capabilities-self` (the caller's own)
// and `sys/capabilities-accessor` (a token named by its accessor): what the token's policies
// grant on each path, as `sys/capabilities*` answer in Vault — sorted capability names,
// `["root"]` for root, `["deny"]` for nothing — keyed by path, and under `capabilities` too when
// one path was asked. Data is copied to the top level (HTTPSysInjector).

const pathFields = {
  capabilities: ['token', 'path', 'paths'],
  'capabilities-self': ['token', 'path', 'paths'],
  'capabilities-accessor': ['accessor', 'path', 'paths'],
} as const satisfies Record<string, AcceptedFields>;

type CapabilitiesPath = keyof typeof pathFields;

// Compiled ACLs for these answers, apart from the request path's (which has its own cache).
const source = createAclSource();

// TypeCommaStringSlice: a list of strings, or one comma-separated string.
function decodePaths(value: JsonValue | undefined): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined || items.some((item) => typeof item !== 'string')) {
    throw invalidRequest('Field validation failed: error converting input for field "paths": expected a list of strings');
  }
  return (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
}

// Whose capabilities: a record, or 'root' in-process (the local CLI holds the key: it is root).
function subject(path: CapabilitiesPath, context: RouteContext): TokenRecord | 'root' {
  const { data } = context.request;
  if (path === 'capabilities-self') return context.caller?.record ?? 'root';
  if (path === 'capabilities-accessor') {
    const accessor = typeof data['accessor'] === 'string' ? data['accessor'] : '';
    if (accessor === '') throw invalidRequest('missing accessor');
    return readLiveByAccessor(context.storage, accessor, context.now) ?? invalidAccessor();
  }
  const token = typeof data['token'] === 'string' ? data['token'] : '';
  if (token === '') throw invalidRequest('missing token');
  return readLiveToken(context.storage, token, context.now) ?? invalidTokenGiven();
}

function invalidAccessor(): never {
  throw invalidRequest('invalid accessor');
}

function invalidTokenGiven(): never {
  throw invalidRequest('invalid token');
}

function answer(path: CapabilitiesPath, context: RouteContext): LogicalResponse {
  const { request } = context;
  if (request.operation !== 'update' && request.operation !== 'create') throw new SecretrunError('unsupported_operation', 'unsupported operation');
  const paths = decodePaths(request.data['paths']);
  if (paths.length === 0) paths.push(...decodePaths(request.data['path']));
  if (paths.length === 0) throw invalidRequest('paths must be supplied');
  const who = subject(path, context);
  const root = who === 'root' || who.policies.includes('root');
  const acl = root ? undefined : source.aclFor(context.storage, (who as TokenRecord).policies);
  const data: JsonObject = {};
  for (const asked of paths) data[asked] = acl === undefined ? ['root'] : acl.capabilities(asked);
  if (paths.length === 1) data['capabilities'] = data[paths[0] as string] ?? null;
  return { kind: 'data', data, legacySys: true };
}

// Is `rest` (after `sys/`) one of these paths?
export function isCapabilitiesPath(rest: string): rest is CapabilitiesPath {
  return Object.hasOwn(pathFields, rest);
}

// Routes `sys/capabilities`, `sys/capabilities-self` and `sys/capabilities-accessor`.
export function routeCapabilities(path: CapabilitiesPath, context: RouteContext): Served {
  return { response: answer(path, context), fields: pathFields[path] };
}
