import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SecretrunError } from '../errors.js';
import { parseJsonObject, type ApiClient } from './api-client.js';
import type { CliIo } from './io.js';

// The token the vault CLI would use: VAULT_TOKEN, else the token helper file ~/.vault-token.
async function findToken(io: CliIo): Promise<string | undefined> {
  const fromEnv = io.env['VAULT_TOKEN'];
  if (fromEnv) return fromEnv;
  try {
    const text = await readFile(join(io.env['HOME'] ?? homedir(), '.vault-token'), 'utf8');
    return text.trim() || undefined;
  } catch {
    return undefined;
  }
}

// A client of a Vault-compatible server over HTTP(S), sending what the vault binary sends
// (lists as `GET ?list=true`, the token in X-Vault-Token). fetch keeps connections alive.
export async function createRemoteClient(options: { address: string; namespace: string | undefined; io: CliIo }): Promise<ApiClient> {
  let base: URL;
  try {
    base = new URL(options.address);
  } catch {
    throw new SecretrunError('usage', `invalid Vault address "${options.address}": expected a URL such as https://127.0.0.1:8200`);
  }
  const token = await findToken(options.io);
  const root = base.href.replace(/\/+$/, '');
  const urlOf = (path: string, query?: Readonly<Record<string, string>>): string => {
    const search = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
    return `${root}/v1/${path.split('/').map(encodeURIComponent).join('/')}${search}`;
  };
  return {
    mode: 'remote',
    async request(method, path, request = {}) {
      const headers: Record<string, string> = { 'X-Vault-Request': 'true' };
      if (token) headers['X-Vault-Token'] = token;
      if (options.namespace) headers['X-Vault-Namespace'] = options.namespace;
      if (request.body !== undefined) headers['Content-Type'] = request.contentType ?? 'application/json';
      let response: Response;
      try {
        response = await fetch(urlOf(path, request.query), {
          method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
        });
      } catch (error) {
        const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
        throw new SecretrunError('remote', `Error making API request to ${root}: ${reason}`, {
          hint: 'Check VAULT_ADDR (or -address) and that the server is running.',
        });
      }
      const body = await response.text();
      return { status: response.status, body, json: parseJsonObject(body) };
    },
    describe(method, path, query) {
      return `${method} ${urlOf(path, query)}`;
    },
    async close() {},
  };
}
