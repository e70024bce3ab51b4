import { randomUUID } from 'node:crypto';
import { SecretrunError } from '../errors.js';
import { exceedsJsonDepth, type JsonObject, type JsonValue } from '../json.js';
import type { LogicalRequest, Operation } from './logical.js';
import type { WireRequest } from './wire.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Go's strconv.ParseBool, which Vault uses for `?list=`.
function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

// Query parameters as Vault passes them to a backend: strings, repeated ones as a list.
function queryData(query: URLSearchParams): JsonObject {
  const data: JsonObject = {};
  if (query.size === 0) return data;
  for (const key of new Set(query.keys())) {
    if (key === 'help') continue;
    const values = query.getAll(key);
    data[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return data;
}

// ASCII without `%`: what decoding leaves unchanged.
const plainAscii = /^[\x00-\x24\x26-\x7f]*$/;
// A whole `.` or `..` segment anywhere in a path.
const dotSegment = /(?:^|\/)\.\.?(?:\/|$)/;

// Percent-decodes the path after /v1/, refusing what Vault's router would never see.
function decodeLogicalPath(rawPath: string): string {
  if (!rawPath.startsWith('/v1/')) throw new SecretrunError('unsupported_path', '');
  const encoded = rawPath.slice('/v1/'.length);
  // Most paths are ASCII without an escape, which the decode below would only copy.
  if (plainAscii.test(encoded)) return checkSegments(encoded);
  let path: string;
  try {
    const bytes = Buffer.from(encoded.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    path = utf8.decode(bytes);
  } catch {
    throw new SecretrunError('invalid_request', 'invalid request path: not valid UTF-8');
  }
  return checkSegments(path);
}

// Refuses `.` and `..` segments; drops leading slashes.
function checkSegments(path: string): string {
  if (dotSegment.test(path)) {
    throw new SecretrunError('invalid_request', 'invalid request path: "." and ".." segments are not allowed');
  }
  return path.replace(/^\/+/, '');
}

function parseJsonBody(body: Buffer): JsonObject {
  if (body.length === 0) return {};
  // Refused before parsing: what walks the parsed value recursively would run out of stack.
  if (exceedsJsonDepth(body)) throw new SecretrunError('invalid_request', 'error parsing JSON');
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(body));
  } catch {
    throw new SecretrunError('invalid_request', 'error parsing JSON');
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new SecretrunError('invalid_request', 'error parsing JSON');
  return parsed as JsonObject;
}

function parseWriteBody(request: WireRequest): JsonObject {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const first = request.body.subarray(0, 64).toString('utf8').trimStart()[0];
  if (type === 'application/x-www-form-urlencoded' && first !== '{' && first !== '[') {
    return queryData(new URLSearchParams(request.body.toString('utf8')));
  }
  return parseJsonBody(request.body);
}

function checkPatchContentType(contentType: string | undefined): void {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === '') throw new SecretrunError('invalid_request', 'mime: no media type');
  if (media !== 'application/merge-patch+json') {
    throw new SecretrunError('unsupported_media_type', `PATCH requires Content-Type of application/merge-patch+json, provided ${media}`);
  }
}

// Turns an HTTP request into Vault's logical request (http/logical.go's rules): method →
// operation, `?list=` and LIST → list with a trailing slash, body or query → data.
export function parseLogicalRequest(request: WireRequest): LogicalRequest {
  let path = decodeLogicalPath(request.path);
  let operation: Operation;
  let data: JsonObject;
  switch (request.method) {
    case 'GET': {
      const list = request.query.get('list');
      let query = request.query;
      if (list !== null) {
        query = new URLSearchParams(request.query);
        query.delete('list');
      }
      data = queryData(query);
      const listing = list === null ? false : parseGoBool(list);
      if (listing === undefined) throw new SecretrunError('invalid_request', '');
      operation = listing ? 'list' : 'read';
      break;
    }
    case 'LIST':
      operation = 'list';
      data = queryData(request.query);
      break;
    case 'POST':
    case 'PUT':
      operation = 'update';
      data = parseWriteBody(request);
      break;
    case 'PATCH':
      checkPatchContentType(request.headers['content-type']);
      operation = 'patch';
      data = parseJsonBody(request.body);
      break;
    case 'DELETE':
      operation = 'delete';
      data = queryData(request.query);
      break;
    default:
      throw new SecretrunError('unsupported_operation', '');
  }
  if (operation === 'list' && !path.endsWith('/')) path += '/';
  if ((operation === 'update' || operation === 'patch') && path.endsWith('/')) {
    throw new SecretrunError('invalid_request', "cannot write to a path ending in '/'");
  }
  return {
    id: randomUUID(),
    operation,
    path,
    data: data as { [key: string]: JsonValue },
    token: tokenFrom(request.headers),
    namespace: request.headers['x-vault-namespace'],
    remoteAddress: request.remoteAddress,
  };
}

// X-Vault-Token wins; otherwise the first `Authorization: Bearer` value.
function tokenFrom(headers: WireRequest['headers']): string | undefined {
  const direct = headers['x-vault-token'];
  if (direct) return direct;
  const authorization = headers['authorization'];
  const match = authorization?.match(/^Bearer\s+([^,\s]+)/i);
  return match?.[1];
}
