import { planCreatedToken, type CreateRequest, type Creator } from '../../auth/token-create.js';
import type { RandomBytes } from '../../auth/token-id.js';
import { readLiveRecord } from '../../auth/token-store.js';
import { issueToken } from '../../auth/token-store.js';
import { renderAuthBlock } from '../../auth/token-render.js';
import { invalidRequest } from '../../errors.js';
import type { JsonValue } from '../../json.js';
import { isJsonObject } from '../../json.js';
import { decodeBool, decodeDurationSeconds, decodeInt, fieldValidationError, given } from '../../kv/field-decode.js';
import type { LogicalResponse } from '../logical.js';
import type { RouteContext } from './route-context.js';

// auth/token/create and auth/token/create-orphan: the request's fields decoded once, as Vault's
// field types decode them, then the token store's rules (auth/token-create.ts).

// The fields both paths define (vault/token_store.go commonFieldsForCreate).
export const createFields = [
  'display_name', 'explicit_max_ttl', 'entity_alias', 'num_uses', 'period', 'renewable', 'ttl', 'lease',
  'type', 'no_default_policy', 'id', 'meta', 'no_parent', 'policies',
] as const;

// TypeString: text as given; numbers and booleans weakly converted, as mapstructure does.
function decodeString(value: JsonValue | undefined, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  throw fieldValidationError(field, value, `'' expected type 'string', got unconvertible type '${Array.isArray(value) ? 'slice' : 'map'}'`);
}

// TypeStringSlice: a list of strings, or one string (not split on commas), trimmed.
function decodeStringSlice(value: JsonValue | undefined, field: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => decodeString(item, field).trim());
}

// TypeKVPairs: a map of strings, or a list of `key=value` strings.
function decodeKvPairs(value: JsonValue | undefined, field: string): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decodeString(item, field)]));
  const pairs: Record<string, string> = {};
  for (const pair of decodeStringSlice(value, field)) {
    const equals = pair.indexOf('=');
    // The pair is not echoed: metadata values may be sensitive.
    if (equals <= 0) throw fieldValidationError(field, '<redacted>', 'invalid key pair (expected key=value)', { secret: true });
    pairs[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return pairs;
}

// A duration given as text or seconds; -1 for a negative one, which the rules refuse by name.
function decodeTtl(value: JsonValue | undefined, field: string): number {
  const seconds = decodeDurationSeconds(value, field);
  return seconds < 0 ? -1 : seconds;
}

// Decodes a create request's fields.
export function parseCreateRequest(data: Readonly<Record<string, JsonValue>>, orphanPath: boolean): CreateRequest {
  const ttlField = given(data, 'ttl') && data['ttl'] !== '' ? 'ttl' : 'lease';
  const id = decodeString(data['id'], 'id');
  return {
    policies: decodeStringSlice(data['policies'], 'policies'),
    noDefaultPolicy: decodeBool(data['no_default_policy'], 'no_default_policy'),
    noParent: decodeBool(data['no_parent'], 'no_parent'),
    orphanPath,
    id: id === '' ? undefined : id,
    displayName: decodeString(data['display_name'], 'display_name'),
    ttl: decodeTtl(data[ttlField], ttlField),
    explicitMaxTtl: decodeTtl(data['explicit_max_ttl'], 'explicit_max_ttl'),
    period: decodeTtl(data['period'], 'period'),
    numUses: decodeInt(data['num_uses'], 'num_uses'),
    renewable: given(data, 'renewable') ? decodeBool(data['renewable'], 'renewable') : true,
    meta: decodeKvPairs(data['meta'], 'meta'),
    type: decodeString(data['type'], 'type'),
    entityAlias: decodeString(data['entity_alias'], 'entity_alias'),
  };
}

// Creates a token for the caller: a child of the caller's token (an orphan through
// create-orphan or `no_parent`), or an orphan for the local store's key holder.
export function createTokenRoute(context: RouteContext, random: RandomBytes, orphanPath: boolean): LogicalResponse {
  const request = parseCreateRequest(context.request.data, orphanPath);
  let creator: Creator = { kind: 'local' };
  const { caller } = context;
  if (caller !== undefined) {
    // Read again: the caller's last use may have revoked it in this very transaction.
    const record = readLiveRecord(context.storage, caller.record.hash, context.now);
    if (record === undefined) throw invalidRequest('parent token lookup failed: no parent found');
    creator = { kind: 'token', record, sudo: caller.sudo === true || record.policies.includes('root') };
  }
  const path = orphanPath ? 'auth/token/create-orphan' : 'auth/token/create';
  const planned = planCreatedToken(creator, request, path);
  const { caller: created, warnings } = issueToken(context.storage, planned, { now: context.now, random });
  return { kind: 'data', data: null, auth: renderAuthBlock(created, created.record.ttl), ...(warnings.length === 0 ? {} : { warnings }) };
}
