// The one error type of secretrun. Every failure a user can cause or meet carries a code from
// this registry; `src/http/error-status.ts` turns a code into an HTTP status and
// `src/cli/exit-code.ts` into an exit code. docs/errors.md lists every code.

export const errorCodes = [
  // Vault-shaped request errors (engine and router).
  'invalid_request', // 400: a rule of the engine was broken (CAS mismatch, no data, bad field)
  'permission_denied', // 403
  'not_found', // 404: nothing at a path (the CLI's "No value found at ...")
  'unsupported_operation', // 405
  'unsupported_path', // 404: no handler for route
  'payload_too_large', // 413
  'unsupported_media_type', // 415
  // Local problems found before anything is sent or stored.
  'usage', // bad flag, argument count, unknown command
  'input', // a malformed key=value, JSON file, duration or version list
  // The encrypted store.
  'store_key', // missing or wrong root key, unreadable key file
  'store_integrity', // MAC mismatch, tampered, truncated or reordered file
  'store_format', // unknown format version, not a secretrun store
  'store_locked', // the lock is held by a live process
  'store_io', // the file or its directory cannot be read or written
  'store_missing', // there is no store where one was looked for (nothing to read yet)
  // The runner.
  'manifest_invalid', // secretrun.yaml failed to parse or validate
  'reference_unresolved', // a required reference is missing or forbidden
  'remote', // a remote Vault-compatible server failed or could not be reached
  'address_refused', // credentials would go to a server the user did not choose, or over plain http
  // The database secrets engine.
  'database', // a database could not be reached or refused a statement
  'internal', // a bug: never the user's fault
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface SecretrunErrorOptions {
  /** One short sentence telling the user how to fix it. */
  hint?: string;
  cause?: unknown;
  /** Extra Vault error strings for the `errors` array after the message (rarely used). */
  details?: readonly string[];
}

// Marks our errors across bundles: code loaded on demand (the manifest parser, the server)
// is bundled apart from the CLI, so it has its own copy of this class and `instanceof` alone
// would not recognise its errors.
const brand = Symbol.for('secretrun.error');

// Messages must never contain a secret value: they are printed, logged and sent over HTTP.
export class SecretrunError extends Error {
  readonly [brand] = true;
  override readonly name = 'SecretrunError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, options: SecretrunErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

// Is this value one of ours (as opposed to a bug or a Node error)?
export function isSecretrunError(value: unknown): value is SecretrunError {
  return value instanceof SecretrunError || (typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true);
}

// Shorthand for the engine's most common failure, Vault's "invalid request".
export function invalidRequest(message: string): SecretrunError {
  return new SecretrunError('invalid_request', message);
}
