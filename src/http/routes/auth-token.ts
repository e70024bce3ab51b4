import { createToken, deleteTokenRecord, isRoot, renderAuthBlock, renderTokenLookup, writeTokenRecord, type Caller } from '../../auth/token-record.js';
import type { RandomBytes } from '../../auth/token-id.js';
import { SecretrunError, invalidRequest } from '../../errors.js';
import { decodeDurationSeconds } from '../../kv/field-decode.js';
import { decodeBool, decodeMap, given } from '../../kv/field-decode.js';
import type { JsonValue } from '../../json.js';
import { dataResponse, none, type LogicalResponse, type Served } from '../logical.js';
import type { RouteContext } from './route-context.js';

// `auth/token/*`: the token backend's self-service paths and `create`. Only root-policy
// tokens can create tokens until ACL policies exist (see src/auth/token-auth.ts).

// The fields each path defines (vault/token_store.go), in one place. `meta` is what Vault's
// create handler reads although its field list says `metadata`; both are taken here.
const pathFields = {
  'lookup-self': ['token'],
  create: ['display_name', 'explicit_max_ttl', 'entity_alias', 'num_uses', 'period', 'renewable', 'ttl', 'type', 'no_default_policy', 'id', 'meta', 'metadata', 'no_parent', 'policies', 'format'],
  'renew-self': ['token', 'increment'],
  'revoke-self': [],
} as const;

// Vault's default token TTL (768h, the system `default_lease_ttl`).
const defaultTtlSeconds = 768 * 3600;

function noRoute(path: string): never {
  throw new SecretrunError('unsupported_path', `no handler for route "${path}". route entry not found.`);
}

function requireCaller(context: RouteContext): Caller {
  if (context.caller === undefined) throw new SecretrunError('permission_denied', 'permission denied');
  return context.caller;
}

// `policies` as Vault's TypeCommaStringSlice: a list, or one comma-separated string.
function decodePolicies(value: JsonValue | undefined): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined || items.some((item) => typeof item !== 'string')) {
    throw invalidRequest(`Field validation failed: error converting input for field "policies": expected a list of strings`);
  }
  return (items as string[]).map((item) => item.trim().toLowerCase()).filter((item) => item !== '');
}

function decodeMeta(value: JsonValue | undefined): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  const map = decodeMap(value, 'meta');
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

function createChild(context: RouteContext, random: RandomBytes): LogicalResponse {
  const parent = requireCaller(context);
  const input = context.request.data;
  const asked = given(input, 'policies') ? decodePolicies(input['policies']) : [...parent.record.policies];
  if (asked.includes('root') && !isRoot(parent.record)) throw invalidRequest('root tokens may not be created by a non-root token');
  const root = asked.includes('root');
  const policies = root || decodeBool(input['no_default_policy'], 'no_default_policy') ? asked : ['default', ...asked];
  const explicitMaxTtl = decodeDurationSeconds(input['explicit_max_ttl'], 'explicit_max_ttl', { signed: false });
  let ttl = decodeDurationSeconds(input['ttl'], 'ttl', { signed: false });
  if (ttl === 0 && !root) ttl = defaultTtlSeconds;
  if (explicitMaxTtl > 0 && (ttl === 0 || ttl > explicitMaxTtl)) ttl = explicitMaxTtl;
  const renewable = given(input, 'renewable') ? decodeBool(input['renewable'], 'renewable') : true;
  const displayName = typeof input['display_name'] === 'string' && input['display_name'] !== '' ? `token-${input['display_name']}` : 'token';
  const child = createToken(
    context.storage,
    { policies, displayName, path: 'auth/token/create', ttl, explicitMaxTtl, renewable, meta: decodeMeta(input['meta']) },
    { now: context.now, random },
  );
  return { kind: 'data', data: null, auth: renderAuthBlock(child, context.now) };
}

function renewSelf(context: RouteContext): LogicalResponse {
  const caller = requireCaller(context);
  const { record } = caller;
  if (!record.renewable || record.expire_ms === null) throw invalidRequest('lease is not renewable');
  const increment = decodeDurationSeconds(context.request.data['increment'], 'increment', { signed: false });
  let expire = context.now + (increment > 0 ? increment : record.creation_ttl) * 1000;
  if (record.explicit_max_ttl > 0) expire = Math.min(expire, record.created_ms + record.explicit_max_ttl * 1000);
  const renewed = { ...record, expire_ms: expire };
  writeTokenRecord(context.storage, renewed);
  return { kind: 'data', data: null, auth: renderAuthBlock({ token: caller.token, record: renewed }, context.now) };
}

// Routes `rest`, the path after `auth/token/`.
export function routeAuthToken(rest: string, context: RouteContext, random: RandomBytes): Served {
  const { operation } = context.request;
  const writing = operation === 'update' || operation === 'create';
  if (rest === 'lookup-self' && operation === 'read') {
    return { response: dataResponse(renderTokenLookup(requireCaller(context), context.now)), fields: pathFields['lookup-self'] };
  }
  if (rest === 'create' && writing) return { response: createChild(context, random), fields: pathFields.create };
  if (rest === 'renew-self' && writing) return { response: renewSelf(context), fields: pathFields['renew-self'] };
  if (rest === 'revoke-self' && writing) {
    deleteTokenRecord(context.storage, requireCaller(context).record);
    return { response: none, fields: pathFields['revoke-self'] };
  }
  return noRoute(`auth/token/${rest}`);
}
