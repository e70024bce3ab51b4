import { isSecretrunError, SecretrunError } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';
import { httpStatusByCode } from './error-status.js';
import { goStruct, renderGoJson } from '../go/json.js';
import { sortedGoKeys } from '../go/string-order.js';
import type { LogicalRequest, LogicalResponse } from './logical.js';
import type { WireResponse } from './wire.js';

const jsonHeaders = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

function reply(status: number, body: string): WireResponse {
  return { status, headers: jsonHeaders, body };
}

// Vault's success envelope, a struct (http.HTTPResponse field order).
export function buildEnvelope(
  requestId: string,
  data: JsonValue,
  extra: {
    warnings?: string[] | undefined;
    auth?: JsonValue | undefined;
    mountType?: string | undefined;
    leaseDuration?: number | undefined;
    lease?: { id: string; renewable: boolean } | undefined;
  } = {},
): JsonObject {
  const envelope: JsonObject = goStruct({
    request_id: requestId,
    lease_id: extra.lease?.id ?? '',
    renewable: extra.lease?.renewable ?? false,
    lease_duration: extra.leaseDuration ?? 0,
    data,
    wrap_info: null,
    warnings: extra.warnings && extra.warnings.length > 0 ? extra.warnings : null,
    auth: extra.auth ?? null,
  });
  if (extra.mountType !== undefined) envelope['mount_type'] = extra.mountType;
  return envelope;
}

// Vault's error body: `{"errors": [...]}`; an empty message means an empty array.
export function renderError(error: SecretrunError): WireResponse {
  const errors = error.message === '' ? [] : [error.message, ...error.details];
  return reply(httpStatusByCode[error.code], `${renderGoJson({ errors })}\n`);
}

const internalErrorBody = `${renderGoJson({ errors: ['internal error'] })}\n`;
const storeBusyBody = `${renderGoJson({ errors: ['the store is locked by another process; try again later'] })}\n`;

// Any failure as an HTTP answer. A client's mistake (a status below 500) says what was wrong;
// a failure of the server itself says only `internal error` (or that the store is busy): its
// message may name the store's path or a file, which a client has no business seeing. The
// caller logs what it was (failure-line.ts).
export function renderFailure(error: unknown): WireResponse {
  if (!isSecretrunError(error)) return reply(500, internalErrorBody);
  const status = httpStatusByCode[error.code];
  // A database's failure is told as Vault tells a plugin's: its one line names the connection
  // and the driver's reason, with every password replaced (database/database-error.ts).
  if (status < 500 || error.code === 'database') return renderError(error);
  return status === 503 ? reply(503, storeBusyBody) : reply(500, internalErrorBody);
}

// A route's answer as HTTP, following Vault's rules for nil responses (404 for reads and
// lists, 204 otherwise) and raw engine responses.
export function renderResponse(request: LogicalRequest, response: LogicalResponse, mountType?: string): WireResponse {
  switch (response.kind) {
    case 'none':
      if (request.operation === 'read' || request.operation === 'list') return reply(404, `${renderGoJson({ errors: [] })}\n`);
      if (response.warnings && response.warnings.length > 0) {
        return reply(200, `${renderGoJson(buildEnvelope(request.id, null, { warnings: response.warnings, mountType }))}\n`);
      }
      return reply(204, '');
    case 'raw':
      if (response.emptyBody) return reply(response.status, '');
      if (response.bare) return reply(response.status, `${renderGoJson(response.data)}\n`);
      // The engine serialises these itself, so they carry no mount_type and no newline.
      return reply(response.status, renderGoJson(buildEnvelope(request.id, response.data, { warnings: response.warnings })));
    case 'data': {
      if (request.operation === 'list' && isEmptyList(response.data, response.warnings)) {
        return reply(404, `${renderGoJson({ errors: [] })}\n`);
      }
      const envelope = buildEnvelope(request.id, response.data, {
        warnings: response.warnings,
        auth: response.auth as JsonValue | undefined,
        mountType,
        leaseDuration: response.leaseDuration,
        lease: response.lease,
      });
      const body = response.legacySys && response.data ? withLegacySysKeys(response.data, envelope) : envelope;
      return reply(200, `${renderGoJson(body)}\n`);
    }
    case 'deferred':
      throw new SecretrunError('internal', 'a deferred response reached rendering before it ran');
  }
}

// Vault's HTTPSysInjector: the data's keys (in Go map order, here sorted), then the envelope's
// fields, all at the top level.
function withLegacySysKeys(data: JsonObject, envelope: JsonObject): JsonObject {
  const body: JsonObject = {};
  for (const key of sortedGoKeys(data)) body[key] = data[key] as JsonValue;
  return goStruct(Object.assign(body, envelope));
}

// Vault's 404 for a list (RespondErrorCommon): no data and no warnings, or an empty `keys`
// whatever the warnings.
function isEmptyList(data: JsonObject | null, warnings: readonly string[] | undefined): boolean {
  if (data === null || Object.keys(data).length === 0) return warnings === undefined || warnings.length === 0;
  const keys = data['keys'];
  return Array.isArray(keys) && keys.length === 0;
}
