import { findVaultToken } from '../client/token-helper.js';
import { createVaultHttpClient, transportOptionsFromEnv } from '../client/vault-http-client.js';
import type { ApiClient } from './api-client.js';
import type { CliIo } from './io.js';

// A client of a Vault-compatible server over HTTP(S), sending what the vault binary sends
// (lists as `GET ?list=true`, the token in X-Vault-Token), over one keep-alive connection,
// trusting VAULT_CACERT (or VAULT_CAPATH) or skipping verification with VAULT_SKIP_VERIFY.
export async function createRemoteClient(options: { address: string; namespace: string | undefined; io: CliIo }): Promise<ApiClient> {
  const http = createVaultHttpClient({ address: options.address, namespace: options.namespace, ...transportOptionsFromEnv(options.io.env) });
  const token = await findVaultToken(options.io.env);
  return {
    mode: 'remote',
    request: (method, path, request = {}) =>
      http.request({ method, path, query: request.query, body: request.body, contentType: request.contentType, token: request.token ?? token }),
    describe(method, path, query) {
      return `${method} ${http.urlOf(path, query)}`;
    },
    async close() {
      http.close();
    },
  };
}
