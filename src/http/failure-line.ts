import { isSecretrunError } from '../errors.js';

// The server's stderr line for a request that failed on the server's side (a 5xx): the request
// id, method and path, the error's code and message on one line, and for a bug where it was
// thrown. Never headers or bodies, which hold tokens and secret values; our errors' messages
// never hold values, and a foreign error's message is cut to its first line.
export function renderFailureLine(requestId: string, method: string, path: string, error: unknown): string {
  const prefix = `secretrun server: request ${requestId} (${method} ${path}) failed:`;
  if (isSecretrunError(error)) return `${prefix} ${error.code}: ${oneLine(error.message)}`;
  if (!(error instanceof Error)) return `${prefix} internal: a non-Error value (${typeof error}) was thrown`;
  const where = /\n\s+at (.+)/.exec(error.stack ?? '')?.[1];
  return `${prefix} internal: ${error.name}: ${oneLine(error.message.split('\n', 1)[0] ?? '')}${where === undefined ? '' : ` (at ${where})`}`;
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');
