import { SecretrunError } from '../../errors.js';
import { readConfig, writeConfig } from '../../kv/kv-v2-config.js';
import { deleteLatestData, patchData, readData, writeData } from '../../kv/kv-v2-data.js';
import { deleteMetadata, listKeys, patchMetadata, readMetadata, writeMetadata } from '../../kv/kv-v2-metadata.js';
import { readSubkeys } from '../../kv/kv-v2-subkeys.js';
import { deleteVersions, destroyVersions, undeleteVersions } from '../../kv/kv-v2-versions.js';
import { decodeInt } from '../../kv/field-decode.js';
import type { KvScope } from '../../kv/kv-scope.js';
import type { JsonObject, JsonValue } from '../../json.js';
import { dataResponse, none, type LogicalResponse, type Operation, type Served } from '../logical.js';
import type { RouteContext } from './route-context.js';

// The fields each KV v2 path defines (the plugin's path_*.go), in one place: other fields in a
// request are ignored with Vault's warning.
const pathFields = {
  config: ['max_versions', 'cas_required', 'delete_version_after'],
  data: ['path', 'version', 'options', 'data'],
  metadata: ['path', 'exclude_deleted', 'cas_required', 'max_versions', 'delete_version_after', 'custom_metadata'],
  versions: ['path', 'versions'],
  subkeys: ['path', 'depth', 'version'],
} as const;

const rootWarning = 'Non-listing operations on the root of a K/V v2 mount are not supported.';
const verbs: Record<Operation, string> = { create: 'put', update: 'put', patch: 'patch', read: 'get', list: 'list', delete: 'delete' };

// Vault's answer for a path a v2 mount does not serve: 404 with a body that explains.
function invalidPath(operation: Operation, rest: string): LogicalResponse {
  const atRoot = ['data', 'metadata', 'delete', 'undelete', 'destroy'].includes(rest) && operation !== 'list';
  const warning = atRoot
    ? rootWarning
    : `Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv ${verbs[operation]}' for this operation.`;
  return { kind: 'raw', status: 404, data: null, warnings: [warning] };
}

function unsupported(): never {
  throw new SecretrunError('unsupported_operation', 'unsupported operation');
}

// A deleted or destroyed version: Vault still answers with its metadata, under a 404.
function goneVersion(data: JsonObject): LogicalResponse {
  return { kind: 'raw', status: 404, data };
}

function dataRoute(scope: KvScope, key: string, context: RouteContext): LogicalResponse {
  const { request, now } = context;
  switch (request.operation) {
    case 'read': {
      // Vault's framework converts fields before the handler runs, so a bad `version` is a 400
      // even for a key that does not exist.
      decodeInt(request.data['version'], 'version');
      const result = readData(scope, key, { version: request.data['version'] }, now);
      if (result === undefined) return none;
      const body: JsonObject = { data: result.data, metadata: { ...result.metadata } };
      return result.status === 'live' ? dataResponse(body) : goneVersion(body);
    }
    case 'create':
    case 'update': {
      const result = writeData(scope, key, request.data, now);
      return dataResponse({ ...result.metadata }, result.warnings);
    }
    case 'patch': {
      const result = patchData(scope, key, request.data, now);
      if (result === undefined) return { kind: 'raw', status: 404, data: null, emptyBody: true };
      if (result.status !== 'written') return goneVersion({ ...result.metadata });
      return dataResponse({ ...result.metadata }, result.warnings);
    }
    case 'delete':
      deleteLatestData(scope, key, now);
      return none;
    case 'list':
      return unsupported();
  }
}

function metadataRoute(scope: KvScope, key: string, context: RouteContext): LogicalResponse {
  const { request, now } = context;
  switch (request.operation) {
    case 'list':
      return dataResponse({ keys: listKeys(scope, key) });
    case 'read': {
      const metadata = readMetadata(scope, key);
      return metadata === undefined ? none : dataResponse(metadata as unknown as JsonObject);
    }
    case 'create':
    case 'update':
      return { kind: 'none', warnings: writeMetadata(scope, key, request.data, now).warnings };
    case 'patch': {
      const result = patchMetadata(scope, key, request.data);
      return result === undefined ? { kind: 'raw', status: 404, data: null, emptyBody: true } : { kind: 'none', warnings: result.warnings };
    }
    case 'delete':
      deleteMetadata(scope, key);
      return none;
  }
}

function versionsRoute(scope: KvScope, action: 'delete' | 'undelete' | 'destroy', key: string, context: RouteContext): LogicalResponse {
  const { request, now } = context;
  if (request.operation !== 'update' && request.operation !== 'create') return unsupported();
  if (action === 'delete') deleteVersions(scope, key, request.data, now);
  else if (action === 'undelete') undeleteVersions(scope, key, request.data, now);
  else destroyVersions(scope, key, request.data);
  return none;
}

function subkeysRoute(scope: KvScope, key: string, context: RouteContext): LogicalResponse {
  if (context.request.operation !== 'read') return unsupported();
  const { version, depth } = context.request.data;
  decodeInt(version, 'version');
  decodeInt(depth, 'depth');
  const result = readSubkeys(scope, key, { version, depth }, context.now);
  if (result === undefined) return none;
  const body: JsonObject = { subkeys: result.subkeys as JsonValue, metadata: { ...result.metadata } };
  return result.status === 'live' ? dataResponse(body) : goneVersion(body);
}

function configRoute(scope: KvScope, context: RouteContext): LogicalResponse {
  switch (context.request.operation) {
    case 'read':
      return dataResponse({ ...readConfig(scope) });
    case 'create':
    case 'update':
      writeConfig(scope, context.request.data);
      return none;
    default:
      return unsupported();
  }
}

// Serves one request on a KV v2 mount; `rest` is the path after the mount (`data/foo`).
export function routeKvV2(scope: KvScope, rest: string, context: RouteContext): Served {
  const slash = rest.indexOf('/');
  const head = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  const isList = context.request.operation === 'list';
  if (rest === 'config') return { response: configRoute(scope, context), fields: pathFields.config };
  if (head === 'metadata' && (key !== '' || isList) && (isList || !key.endsWith('/'))) {
    return { response: metadataRoute(scope, key, context), fields: pathFields.metadata };
  }
  if (isList || key === '' || key.endsWith('/')) return { response: invalidPath(context.request.operation, rest), fields: 'any' };
  switch (head) {
    case 'data':
      return { response: dataRoute(scope, key, context), fields: pathFields.data };
    case 'delete':
    case 'undelete':
    case 'destroy':
      return { response: versionsRoute(scope, head, key, context), fields: pathFields.versions };
    case 'subkeys':
      return { response: subkeysRoute(scope, key, context), fields: pathFields.subkeys };
    default:
      return { response: invalidPath(context.request.operation, rest), fields: 'any' };
  }
}
