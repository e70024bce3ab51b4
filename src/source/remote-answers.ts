import { isSecretrunError } from '../errors.js';
import type { VaultResponse } from '../client/vault-http-client.js';
import type { SecretRead } from './source.js';

// What the remote server's answers mean for a read, in one line that never holds a value.

// The server's `errors` as one line (`: a; b`), or nothing.
export function errorsText(response: VaultResponse): string {
  const errors = response.json?.['errors'];
  return Array.isArray(errors) && errors.length > 0 ? `: ${errors.map(String).join('; ').replace(/\s+/g, ' ').trim()}` : '';
}

// A read that got an answer other than 200: missing, forbidden or unavailable.
export function failureRead(response: VaultResponse, what: string): SecretRead {
  const reason = `${what} returned ${response.status}${errorsText(response)}`;
  if (response.status === 404) return { status: 'missing' };
  if (response.status === 403) return { status: 'forbidden', reason };
  return { status: 'unavailable', reason };
}

// A read that got no answer: the server could not be reached.
export function unavailableRead(error: unknown): SecretRead {
  if (isSecretrunError(error) || error instanceof Error) return { status: 'unavailable', reason: error.message };
  return { status: 'unavailable', reason: String(error) };
}
