// The KV v2 contract against the in-process handler (no sockets), with token auth and ACLs on.
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { createAuthorizer } from '../../src/auth/authorize.js';
import { createTokenAuthenticator } from '../../src/auth/token-auth.js';
import { isUnauthenticatedPath } from '../../src/auth/unauthenticated-paths.js';
import { createRootToken } from '../../src/auth/token-store.js';
import { createApiHandler } from '../../src/http/handler.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { enableMount, kvV2Contract, type Send } from './kv-v2-contract.js';

async function createSend(): Promise<Send> {
  const store = createMemoryStore();
  const rootToken = await store.update((storage) => createRootToken(storage, { now: Date.now(), random: (n) => new Uint8Array(randomBytes(n)) }).token);
  const authenticate = createTokenAuthenticator({ unauthenticated: (request, storage) => isUnauthenticatedPath(storage, request.path) });
  const handler = createApiHandler({ store, authenticate, authorize: createAuthorizer() });
  return async (request) => {
    const headers: Record<string, string> = {};
    const token = request.token === undefined ? rootToken : request.token;
    if (token !== null && request.bearer) headers['authorization'] = `Bearer ${token}`;
    else if (token !== null) headers['x-vault-token'] = token;
    if (request.contentType !== undefined || request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
    const body = request.rawBody ?? (request.body === undefined ? '' : JSON.stringify(request.body));
    const response = await handler({
      method: request.method,
      // Encoded as every HTTP client encodes a path; the wire handler sees only ASCII.
      path: `/v1/${encodeURI(request.path)}`,
      query: new URLSearchParams(request.query),
      headers,
      body: Buffer.from(body),
      remoteAddress: '127.0.0.1',
      remotePort: 1,
    });
    return { status: response.status, contentType: response.headers['content-type'], text: response.body, json: response.body === '' ? undefined : JSON.parse(response.body) };
  };
}

describe('KV v2 contract, in-process handler', () => {
  kvV2Contract.forEach((contractCase, index) => {
    it(contractCase.name, async () => {
      const send = await createSend();
      await enableMount(send, `c${index}`);
      await contractCase.run(send, `c${index}`);
    });
  });
});
