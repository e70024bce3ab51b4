import { encodeGoString, renderGoJson } from '../go/json.js';
import { compareGoStrings } from '../go/string-order.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { Hasher } from './audit-hash.js';
import { renderHashedGoJson } from './hashed-json.js';

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

// Entries are written as text directly, field by field in the structs' order, rather than
// built as objects and encoded: an audited request writes two of them, and building them
// doubled what audit costs a request (bench/server.mjs --audit). Each helper renders one
// field with Go's `omitempty` (nothing for "", 0, false, null, an empty list or map) and a
// leading comma; struct() drops the first comma. Field names are plain ASCII constants.
const str = (name: string, value: string | undefined): string => (value === undefined || value === '' ? '' : `,"${name}":${encodeGoString(value)}`);
const num = (name: string, value: number | undefined): string => (value === undefined || value === 0 ? '' : `,"${name}":${value}`);
const raw = (name: string, json: string | undefined): string => (json === undefined ? '' : `,"${name}":${json}`);
const list = (name: string, value: readonly unknown[] | null | undefined): string => (value === undefined || value === null || value.length === 0 ? '' : `,"${name}":${renderGoJson(value)}`);
const map = (name: string, value: JsonValue | Readonly<Record<string, string>> | null | undefined): string =>
  value === undefined || value === null || typeof value !== 'object' || Object.keys(value).length === 0 ? '' : `,"${name}":${renderGoJson(value)}`;
const struct = (fields: string): string => `{${fields.slice(1)}}`;

function hashed(format: EntryFormat, value: string | undefined): string | undefined {
  return value === undefined || value === '' || format.hash === undefined ? value : format.hash(value);
}

function hashedAccessor(format: EntryFormat, value: string | undefined): string | undefined {
  return format.hmacAccessor ? hashed(format, value) : value;
}

function renderPolicyResults(identity: AuditIdentity): string | undefined {
  if (identity.allowed === undefined) return undefined;
  const granting = (identity.grantingPolicies ?? []).map((name) => `{"name":${encodeGoString(name)},"namespace_id":"root","type":"acl"}`);
  return `{"allowed":${identity.allowed}${granting.length > 0 ? `,"granting_policies":[${granting.join(',')}]` : ''}}`;
}

function renderIdentity(identity: AuditIdentity, format: EntryFormat): string {
  return struct(
    str('accessor', hashedAccessor(format, identity.accessor)) +
      str('client_token', hashed(format, identity.clientToken)) +
      str('display_name', identity.displayName) +
      str('entity_id', identity.entityId) +
      map('metadata', identity.metadata) +
      list('policies', identity.policies) +
      raw('policy_results', renderPolicyResults(identity)) +
      num('remaining_uses', identity.remainingUses) +
      list('token_policies', identity.tokenPolicies) +
      str('token_issue_time', identity.tokenIssueTime) +
      num('token_ttl', identity.tokenTtl) +
      str('token_type', identity.tokenType),
  );
}

// The mount fields, between `id`/`data` and `namespace` (request) or `warnings` (response).
function mountFields(mount: AuditMount | undefined, fallbackType: string | undefined, versionField: string): string {
  return (
    str('mount_accessor', mount?.accessor) +
    str('mount_class', mount?.class) +
    str('mount_point', mount?.point) +
    str(versionField, mount?.runningVersion) +
    str('mount_type', mount?.type ?? fallbackType)
  );
}

// The `auth` and `request` blocks of a request's entries as JSON, hashed for one device; both
// of the request's lines share them, so they are rendered once.
export interface RequestParts {
  auth: string;
  request: string;
}

// Renders the `auth` and `request` blocks of a request's entries for one device.
export function renderRequestParts(record: AuditRecord, format: EntryFormat): RequestParts {
  const request = struct(
    str('client_token', hashed(format, record.clientToken)) +
      str('client_token_accessor', hashedAccessor(format, record.identity.accessor)) +
      dataField(record.data, format.hash, true) +
      str('id', record.id) +
      mountFields(record.mount, undefined, 'mount_running_version') +
      ',"namespace":{"id":"root"}' +
      str('operation', record.operation) +
      str('path', record.path) +
      str('remote_address', record.remoteAddress) +
      num('remote_port', record.remotePort),
  );
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

// A `data` field (left out when empty), every value hashed unless the device logs raw.
function dataField(data: JsonValue | undefined, hash: Hasher | undefined, numbers: boolean): string {
  if (data === undefined || data === null || typeof data !== 'object' || Object.keys(data).length === 0) return '';
  return `,"data":${hash === undefined ? renderGoJson(data) : renderHashedGoJson(data, hash, numbers)}`;
}

// A response's data: for a KV v2 read, the secret under `data` holds stored numbers (hashed),
// the metadata beside it computed ones (clear).
function responseDataField(data: JsonValue | undefined, record: AuditRecord, hash: Hasher | undefined): string {
  if (hash === undefined || record.storedNumbers !== 'data' || data === null || typeof data !== 'object' || Array.isArray(data)) {
    return dataField(data, hash, record.storedNumbers === 'all');
  }
  const keys = Object.keys(data).sort(compareGoStrings);
  if (keys.length === 0) return '';
  const fields = keys.map((key) => `${encodeGoString(key)}:${renderHashedGoJson(data[key] as JsonValue, hash, key === 'data')}`);
  return `,"data":{${fields.join(',')}}`;
}

function renderResponseAuth(auth: AuditResponseAuth | undefined, format: EntryFormat): string | undefined {
  if (auth === undefined) return undefined;
  return struct(
    str('accessor', hashedAccessor(format, auth.accessor)) +
      str('client_token', hashed(format, auth.client_token)) +
      str('display_name', auth.display_name) +
      str('entity_id', auth.entity_id) +
      map('metadata', auth.metadata) +
      num('num_uses', auth.num_uses) +
      list('policies', auth.policies) +
      list('token_policies', auth.token_policies) +
      num('token_ttl', auth.lease_duration) +
      str('token_type', auth.token_type),
  );
}

// The `response` block of a response entry, as JSON.
export function renderResponsePart(record: AuditRecord, response: AuditedResponse | undefined, mountType: string | undefined, format: EntryFormat): string {
  const listed = format.elideListResponses && record.operation === 'list' ? elideList(response?.data) : response?.data;
  return struct(
    raw('auth', renderResponseAuth(response?.auth, format)) +
      responseDataField(listed, record, format.hash) +
      mountFields(record.mount, mountType, 'mount_running_plugin_version') +
      list('warnings', response?.warnings),
  );
}

// One line of the log: `prefix` and the entry as Go's json.Encoder writes it (the struct's
// fields in order: time, auth, error, request, response, type).
export function renderAuditLine(
  prefix: string,
  entry: { time: string; type: 'request' | 'response'; parts: RequestParts; response?: string; error?: string | undefined },
): string {
  let line = `${prefix}{"time":${encodeGoString(entry.time)},"auth":${entry.parts.auth}`;
  if (entry.error !== undefined && entry.error !== '') line += `,"error":${encodeGoString(entry.error)}`;
  line += `,"request":${entry.parts.request}`;
  if (entry.response !== undefined) line += `,"response":${entry.response}`;
  return `${line},"type":"${entry.type}"}\n`;
}
