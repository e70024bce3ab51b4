// The KV v2 contract against `secretrun server -dev` (the built CLI) over real HTTP, one
// server for the file, a fresh mount per case.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createSandbox } from '../e2e/run-cli.js';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { enableMount, kvV2Contract, type Send } from './kv-v2-contract.js';

let server: ServerProcess;
let send: Send;

beforeAll(async () => {
  const sandbox = createSandbox();
  server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0'], sandbox.env);
  const token = server.rootToken as string;
  send = async (request) => {
    const headers: Record<string, string> = {};
    const chosen = request.token === undefined ? token : request.token;
    if (chosen !== null && request.bearer) headers['authorization'] = `Bearer ${chosen}`;
    else if (chosen !== null) headers['X-Vault-Token'] = chosen;
    if (request.contentType !== undefined || request.body !== undefined) headers['Content-Type'] = request.contentType ?? 'application/json';
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    const response = await fetch(`${server.url}/v1/${request.path}${query}`, { method: request.method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type') ?? undefined, text, json: text === '' ? undefined : JSON.parse(text) };
  };
});

afterAll(async () => {
  await server?.stop();
});

describe('KV v2 contract, secretrun server over HTTP', () => {
  kvV2Contract.forEach((contractCase, index) => {
    it(contractCase.name, async () => {
      await enableMount(send, `c${index}`);
      await contractCase.run(send, `c${index}`);
    });
  });
});
