import type { ErrorCode } from '../errors.js';

// The one table turning an error code into the CLI's exit code. 1 and 2 follow the vault CLI
// (local/usage problems vs. anything the engine or server said); the store and the runner get
// codes of their own so scripts can tell a wrong key from a missing secret. docs/errors.md
// lists them. The runner otherwise exits with its child's code.
export const exitCodeByCode: Readonly<Record<ErrorCode, number>> = {
  usage: 1,
  input: 1,
  invalid_request: 2,
  permission_denied: 2,
  not_found: 2,
  unsupported_operation: 2,
  unsupported_path: 2,
  payload_too_large: 2,
  unsupported_media_type: 2,
  remote: 2,
  store_key: 3,
  store_integrity: 4,
  store_format: 4,
  store_locked: 5,
  store_io: 5,
  store_missing: 5,
  manifest_invalid: 6,
  reference_unresolved: 7,
  database: 8,
  address_refused: 9,
  internal: 70,
};
