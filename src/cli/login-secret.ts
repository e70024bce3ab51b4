import { isJsonObject, type JsonObject } from '../json.js';
import type { ApiResponse } from './api-client.js';
import type { ApiSecret } from './format/secret-json.js';

// The secret of a login response (`data` is null, `auth` holds the token), as the vault CLI's
// api.ParseSecret reads it; undefined when the body is not one.
export function parseLoginSecret(response: ApiResponse): ApiSecret | undefined {
  const body = response.json;
  if (body === undefined || !isJsonObject(body['auth'])) return undefined;
  return {
    request_id: String(body['request_id'] ?? ''),
    lease_id: String(body['lease_id'] ?? ''),
    lease_duration: Number(body['lease_duration'] ?? 0),
    renewable: body['renewable'] === true,
    data: isJsonObject(body['data']) ? (body['data'] as JsonObject) : null,
    warnings: Array.isArray(body['warnings']) ? body['warnings'].map(String) : null,
    auth: body['auth'] as JsonObject,
  };
}
