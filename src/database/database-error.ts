import { SecretrunError } from '../errors.js';

// The one error a database plugin raises when the database cannot be reached or refuses a
// statement: one line naming the plugin and the connection (host:port/database), the driver's
// reason, and no secret — every password the operation handled is replaced by [password], as
// Vault's error-sanitising middleware does for the connection's own password.

// What the error names and what it must never show.
export interface ErrorContext {
  plugin: string;
  /** describeConnection(): host:port/database. */
  connection: string;
  secrets: readonly (string | undefined)[];
}

// The driver's reason, on one line: Node's connection errors for a name with several addresses
// are an AggregateError whose own message is empty.
export function renderDriverReason(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    return [...new Set(error.errors.map((inner: unknown) => renderDriverReason(inner)))].join('; ');
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (error.message !== '') return error.message;
    return typeof code === 'string' ? code : error.name;
  }
  return String(error);
}

// Replaces each secret (and its URL-encoded form) with [password], then folds the text to one line.
export function sanitizeMessage(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  const forms = secrets.flatMap((secret) => (secret === undefined || secret === '' ? [] : [secret, encodeURIComponent(secret)]));
  for (const form of forms.sort((a, b) => b.length - a.length)) out = out.replaceAll(form, '[password]');
  return out.replace(/\s*\n\s*/g, ' ').trim();
}

// The plugin could not connect to the database.
export function connectionError(context: ErrorContext, cause: unknown): SecretrunError {
  const reason = sanitizeMessage(renderDriverReason(cause), context.secrets);
  return new SecretrunError('database', `${context.plugin} cannot connect to ${context.connection}: ${reason}`, {
    hint: 'check that the database is running and reachable and that the connection credentials are right, then retry',
  });
}

// The database refused a statement (or the connection broke while running it).
export function statementError(context: ErrorContext, what: string, cause: unknown): SecretrunError {
  const reason = sanitizeMessage(renderDriverReason(cause), context.secrets);
  return new SecretrunError('database', `${context.plugin} at ${context.connection}: ${what}: ${reason}`);
}
