import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createVaultHttpClient, tlsOptionsFromEnv } from '../http/vault-client.js';
import type { ApiClient } from './api-client.js';
import type { CliIo } from './io.js';

// The token the vault CLI would use: VAULT_TOKEN, else the token helper file ~/.vault-token.
async function findToken(io: CliIo): Promise<string | undefined> {
  const fromEnv = io.env['VAULT_TOKEN'];
  if (fromEnv) return fromEnv;
  try {
    const text = await fs.readFile(join(io.env['HOME'] ?? homedir(), '.vault-token'), 'utf8');
    return text.trim() || undefined;
  } catch {
    return undefined;
  }
}

// A client of a Vault-compatible server over HTTP(S), sending what the vault binary sends
// (lists as `GET ?list=true`, the token in X-Vault-Token), over one keep-alive connection,
// trusting VAULT_CACERT (or VAULT_CAPATH) or skipping verification with VAULT_SKIP_VERIFY.
export async function createRemoteClient(options: { address: string; namespace: string | undefined; io: CliIo }): Promise<ApiClient> {
  const http = createVaultHttpClient({ address: options.address, namespace: options.namespace, ...tlsOptionsFromEnv(options.io.env) });
  const token = await findToken(options.io);
  return {
    mode: 'remote',
    request: (method, path, request = {}) =>
      http.request({ method, path, query: request.query, body: request.body, contentType: request.contentType, token }),
    describe(method, path, query) {
      return `${method} ${http.urlOf(path, query)}`;
    },
    async close() {
      http.close();
    },
  };
}
