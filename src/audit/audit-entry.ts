import { goStruct, renderGoJson } from '../go/json.js';
import type { JsonObject, JsonValue } from '../json.js';
import { hashValues, type Hasher } from './audit-hash.js';

// One audit log line in Vault's entry shape (audit/types.go: the struct fields in their order,
// each `omitempty` but `policy_results.allowed`), built from what the handler saw. Pure: the
// device's hasher and the time are passed in.

// Who made a request, as Vault's logical.Auth of its token shows it; values in clear.
export interface AuditIdentity {
  clientToken?: string | undefined;
  accessor?: string | undefined;
  displayName?: string | undefined;
  policies?: readonly string[] | undefined;
  tokenPolicies?: readonly string[] | undefined;
  metadata?: Readonly<Record<string, string>> | null | undefined;
  entityId?: string | undefined;
  remainingUses?: number | undefined;
  /** `service` for a token; `default` when there is none (Vault's zero logical.Auth). */
  tokenType: string;
  /** Seconds. */
  tokenTtl?: number | undefined;
  /** RFC 3339. */
  tokenIssueTime?: string | undefined;
  /** Whether the request was allowed; undefined when no policy was asked. */
  allowed?: boolean | undefined;
  /** The policies that allowed it, when known (root). */
  grantingPolicies?: readonly string[] | undefined;
}

// The mount a request went to, as Vault records it beside the request and the response.
export interface AuditMount {
  point: string;
  type: string;
  accessor: string;
  class: string;
  runningVersion: string;
}

// The request side of an entry, in clear; each device hashes it for itself.
export interface AuditRecord {
  id: string;
  operation: string;
  path: string;
  data: JsonObject;
  /** The token the request presented, valid or not. */
  clientToken: string | undefined;
  identity: AuditIdentity;
  mount: AuditMount | undefined;
  remoteAddress: string;
  remotePort: number;
  /** Where numbers of the response's data are stored values (hashed), not computed ones. */
  storedNumbers: 'none' | 'all' | 'data';
}

// What an entry shows of a response.
export interface AuditedResponse {
  kind?: string;
  data?: JsonValue | undefined;
  warnings?: readonly string[] | undefined;
  auth?: AuditResponseAuth | undefined;
}

// A response's `auth` block (a login or a token creation): Vault's TokenAuthBlock fields.
export interface AuditResponseAuth {
  client_token?: string;
  accessor?: string;
  display_name?: string;
  policies?: readonly string[] | null;
  token_policies?: readonly string[] | null;
  metadata?: Readonly<Record<string, string>> | null;
  lease_duration?: number;
  entity_id?: string;
  token_type?: string;
  num_uses?: number;
}

// How one device writes: its hasher (undefined with log_raw) and options.
export interface EntryFormat {
  hash: Hasher | undefined;
  hmacAccessor: boolean;
  elideListResponses: boolean;
}

// A Go struct of the given fields with Go's `omitempty` applied: empty strings, zeros, false,
// null and empty arrays and maps are left out.
function omitEmpty(fields: Record<string, unknown>): JsonObject {
  const kept: JsonObject = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null || value === '' || value === 0 || value === false) continue;
    if (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && Object.keys(value).length === 0) continue;
    kept[name] = value as JsonValue;
  }
  return goStruct(kept);
}

function hashed(format: EntryFormat, value: string | undefined): string | undefined {
  return value === undefined || value === '' || format.hash === undefined ? value : format.hash(value);
}

function hashedAccessor(format: EntryFormat, value: string | undefined): string | undefined {
  return format.hmacAccessor ? hashed(format, value) : value;
}

function renderIdentity(identity: AuditIdentity, format: EntryFormat): JsonObject {
  const granting = identity.grantingPolicies?.map((name) => goStruct({ name, namespace_id: 'root', type: 'acl' }));
  return omitEmpty({
    accessor: hashedAccessor(format, identity.accessor),
    client_token: hashed(format, identity.clientToken),
    display_name: identity.displayName,
    entity_id: identity.entityId,
    metadata: identity.metadata,
    policies: identity.policies,
    policy_results: identity.allowed === undefined ? undefined : goStruct({ allowed: identity.allowed, ...(granting && granting.length > 0 ? { granting_policies: granting } : {}) }),
    remaining_uses: identity.remainingUses,
    token_policies: identity.tokenPolicies,
    token_issue_time: identity.tokenIssueTime,
    token_ttl: identity.tokenTtl,
    token_type: identity.tokenType,
  });
}

function mountFields(mount: AuditMount | undefined, fallbackType: string | undefined, versionField: string): Record<string, unknown> {
  return {
    mount_accessor: mount?.accessor,
    mount_class: mount?.class,
    mount_point: mount?.point,
    [versionField]: mount?.runningVersion,
    mount_type: mount?.type ?? fallbackType,
  };
}

// The `auth` and `request` blocks of a request's entries, hashed for one device; both of the
// request's lines share them.
export function buildRequestParts(record: AuditRecord, format: EntryFormat): { auth: JsonObject; request: JsonObject } {
  const data = format.hash === undefined ? record.data : (hashValues(record.data, format.hash, true) as JsonObject);
  const request = omitEmpty({
    client_token: hashed(format, record.clientToken),
    client_token_accessor: hashedAccessor(format, record.identity.accessor),
    data,
    id: record.id,
    ...mountFields(record.mount, undefined, 'mount_running_version'),
    namespace: goStruct({ id: 'root' }),
    operation: record.operation,
    path: record.path,
    remote_address: record.remoteAddress,
    remote_port: record.remotePort,
  });
  return { auth: renderIdentity(record.identity, format), request };
}

// Vault's elide_list_responses: the number of keys a list returned instead of the keys.
function elideList(data: JsonValue | undefined): JsonValue | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  const copy: JsonObject = { ...data };
  if (Array.isArray(copy['keys'])) copy['keys'] = copy['keys'].length;
  const info = copy['key_info'];
  if (info !== null && typeof info === 'object' && !Array.isArray(info)) copy['key_info'] = Object.keys(info).length;
  return copy;
}

function hashResponseData(data: JsonValue | undefined, record: AuditRecord, hash: Hasher | undefined): JsonValue | undefined {
  if (data === undefined || hash === undefined) return data;
  if (record.storedNumbers !== 'data' || data === null || typeof data !== 'object' || Array.isArray(data)) {
    return hashValues(data, hash, record.storedNumbers === 'all');
  }
  // A KV v2 read: the secret under `data` holds stored numbers, the metadata beside it does not.
  const copy = hashValues(data, hash, false) as JsonObject;
  if (data['data'] !== undefined) copy['data'] = hashValues(data['data'] as JsonValue, hash, true);
  return copy;
}

function renderResponseAuth(auth: AuditResponseAuth | undefined, format: EntryFormat): JsonObject | undefined {
  if (auth === undefined) return undefined;
  return omitEmpty({
    accessor: hashedAccessor(format, auth.accessor),
    client_token: hashed(format, auth.client_token),
    display_name: auth.display_name,
    entity_id: auth.entity_id,
    metadata: auth.metadata,
    num_uses: auth.num_uses,
    policies: auth.policies,
    token_policies: auth.token_policies,
    token_ttl: auth.lease_duration,
    token_type: auth.token_type,
  });
}

// The `response` block of a response entry.
export function buildResponsePart(record: AuditRecord, response: AuditedResponse | undefined, mountType: string | undefined, format: EntryFormat): JsonObject {
  const listed = format.elideListResponses && record.operation === 'list' ? elideList(response?.data) : response?.data;
  return omitEmpty({
    auth: renderResponseAuth(response?.auth, format),
    data: hashResponseData(listed, record, format.hash),
    ...mountFields(record.mount, mountType, 'mount_running_plugin_version'),
    warnings: response?.warnings,
  });
}

// One line of the log: `prefix` and the entry as Go's json.Encoder writes it.
export function renderAuditLine(
  prefix: string,
  entry: { time: string; type: 'request' | 'response'; auth: JsonObject; request: JsonObject; response?: JsonObject; error?: string | undefined },
): string {
  const fields: JsonObject = goStruct({ time: entry.time, auth: entry.auth } as JsonObject);
  if (entry.error !== undefined && entry.error !== '') fields['error'] = entry.error;
  fields['request'] = entry.request;
  if (entry.response !== undefined) fields['response'] = entry.response;
  fields['type'] = entry.type;
  return `${prefix}${renderGoJson(fields)}\n`;
}
