import { SecretrunError, type ErrorCode } from '../errors.js';
import type { ApiClient, ApiResponse } from './api-client.js';

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
