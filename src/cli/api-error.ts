import { SecretrunError, type ErrorCode } from '../errors.js';
import type { ApiClient, ApiRequestOptions, ApiResponse } from './api-client.js';

function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'invalid_request';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 405) return 'unsupported_operation';
  return 'remote';
}

// The errors a response carries: Vault's `errors` array, or the raw text when it is not JSON.
export function responseErrors(response: ApiResponse): string[] {
  const errors = response.json?.['errors'];
  if (Array.isArray(errors)) return errors.map(String);
  return response.body.trim() === '' ? [] : [response.body.trim()];
}

// Turns a failed API response into the CLI's error. Against a remote server the text is the
// vault CLI's ("Error making API request." with URL, code and errors); locally there is no URL
// to show, so it is one line: `<action>: <errors>`.
export function apiError(
  client: ApiClient,
  action: string,
  request: { method: string; path: string; query?: Readonly<Record<string, string>> },
  response: ApiResponse,
): SecretrunError {
  const errors = responseErrors(response);
  const code = codeForStatus(response.status);
  if (client.mode === 'local') {
    const text = errors.length > 0 ? errors.map((e) => e.replace(/^\d+ errors? occurred:\s*\n\t\* /, '').trim()).join('; ') : `status ${response.status}`;
    return new SecretrunError(code, action === '' ? text : `${action}: ${text}`);
  }
  const label = response.json ? 'Errors' : 'Raw Message';
  const lines = [
    `${action === '' ? '' : `${action}: `}Error making API request.`,
    '',
    `URL: ${client.describe(request.method, request.path, request.query)}`,
    `Code: ${response.status}. ${label}:`,
    '',
    // Go ends the text after the blank line when there is nothing to list.
    ...(errors.length === 0 ? [''] : errors.map((e) => `* ${e}`)),
  ];
  return new SecretrunError(code, lines.join('\n'));
}

// The statuses of a write that did what it asked: Vault answers 204, or 200 with a body.
export const writeSucceeded: readonly number[] = [200, 204];
// The statuses of a read that found its target or found nothing (the caller tells them apart).
export const readAnswered: readonly number[] = [200, 404];

// Sends one request and returns its answer when its status is one of `accepted`; any other
// status is the vault CLI's error for `action` (apiError).
export async function requestExpecting(
  client: ApiClient,
  action: string,
  request: { method: string; path: string },
  accepted: readonly number[],
  options?: ApiRequestOptions,
): Promise<ApiResponse> {
  const response = await client.request(request.method, request.path, options);
  if (!accepted.includes(response.status)) throw apiError(client, action, { ...request, ...(options?.query === undefined ? {} : { query: options.query }) }, response);
  return response;
}
