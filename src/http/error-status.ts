import type { ErrorCode } from '../errors.js';

// The one table turning an error code into Vault's HTTP status (sdk/logical/response_util.go).
// Local-only codes never reach HTTP from a client's request; they map to 500 so a bug shows.
export const httpStatusByCode: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  permission_denied: 403,
  not_found: 404,
  unsupported_operation: 405,
  unsupported_path: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  usage: 400,
  input: 400,
  store_key: 500,
  store_integrity: 500,
  store_format: 500,
  store_locked: 503,
  store_io: 500,
  store_missing: 500,
  manifest_invalid: 500,
  reference_unresolved: 500,
  remote: 502,
  address_refused: 500,
  // Vault answers a plugin's failure (database down, statement refused) with 500 and its text.
  database: 500,
  internal: 500,
};
