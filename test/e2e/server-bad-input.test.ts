// A client's mistakes over real HTTP: always a Vault-shaped answer, never a 500, never a crash.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawClient } from '../http/transport/raw-client.js';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { waitFor } from '../helpers/wait-for.js';
import { createSandbox } from './run-cli.js';

let server: ServerProcess;
let port: number;
let token = '';

beforeAll(async () => {
  const sandbox = createSandbox();
  const config = join(sandbox.dir, 'server.json');
  // A small max_request_size so the 413 needs only a small body.
  writeFileSync(config, JSON.stringify({ storage: { inmem: {} }, listener: { tcp: { address: '127.0.0.1:0', tls_disable: true, max_request_size: 4096 } } }));
  server = await startServerProcess([`-config=${config}`, `-root-token-file=${join(sandbox.dir, 'token')}`], sandbox.env, sandbox.dir);
  port = Number(new URL(server.url).port);
  token = readFileSync(join(sandbox.dir, 'token'), 'utf8').trim();
});

afterAll(async () => {
  expect(server.stderr()).not.toMatch(/internal|TypeError|at /);
  expect(await server.stop()).toBe(0);
});

// Sends raw bytes as one request and returns the parsed answer.
async function raw(head: string, body: Buffer | string = ''): Promise<{ status: number; contentType: string | undefined; json: any }> {
  const client = await openRawClient(port);
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  await client.write(Buffer.concat([Buffer.from(`${head}\r\nHost: x\r\nX-Vault-Token: ${token}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`), bytes]));
  const [response] = await client.read(1);
  client.socket.destroy();
  if (response === undefined) throw new Error('no response');
  return { status: response.status, contentType: response.headers['content-type'], json: response.body === '' ? undefined : JSON.parse(response.body) };
}

describe('bad input over HTTP', () => {
  it('answers malformed or non-object JSON with 400 "error parsing JSON"', async () => {
    for (const body of ['{"data": {', '[1,2]', '"text"', '12', '{"data":{"a":"b"}} trailing', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])]) {
      const response = await raw('PUT /v1/secret/data/bad HTTP/1.1', body);
      expect(response.status).toBe(400);
      expect(response.contentType).toBe('application/json');
      expect(response.json).toEqual({ errors: ['error parsing JSON'] });
    }
  });

  it('answers fields of the wrong type with 400 field validation errors', async () => {
    const cases: Array<[string, string, string]> = [
      ['PUT /v1/secret/data/t HTTP/1.1', '{"data":"text"}', 'for field "data"'],
      ['PUT /v1/secret/data/t HTTP/1.1', '{"data":{"a":1},"options":{"cas":{}}}', 'error parsing check-and-set parameter'],
      ['PUT /v1/secret/metadata/t HTTP/1.1', '{"max_versions":"many"}', 'for field "max_versions"'],
      ['PUT /v1/secret/metadata/t HTTP/1.1', '{"custom_metadata":[1]}', 'for field "custom_metadata"'],
      ['PUT /v1/secret/config HTTP/1.1', '{"cas_required":"perhaps"}', 'for field "cas_required"'],
      ['PUT /v1/secret/delete/t HTTP/1.1', '{"versions":"one,two"}', ''],
      ['GET /v1/secret/data/t?version=%27 HTTP/1.1', '', 'for field "version"'],
      ['POST /v1/auth/token/create HTTP/1.1', '{"ttl":"forever"}', 'for field "ttl"'],
      ['POST /v1/sys/mounts/x HTTP/1.1', '{"type":42}', ''],
    ];
    for (const [head, body, text] of cases) {
      const response = await raw(head, body);
      expect(response.status, `${head} ${body}`).toBe(400);
      expect(response.json.errors[0] ?? '', `${head} ${body}`).toContain(text);
    }
  });

  it('answers an oversized body with 413', async () => {
    const response = await raw('PUT /v1/secret/data/big HTTP/1.1', JSON.stringify({ data: { blob: 'x'.repeat(8192) } }));
    expect(response.status).toBe(413);
    expect(response.contentType).toBe('application/json');
    expect(response.json.errors).toEqual(expect.any(Array));
  });

  it('answers unknown paths, methods, dot segments and invalid UTF-8 without a 500', async () => {
    const cases: Array<[string, number]> = [
      ['GET /v1/nope/thing HTTP/1.1', 404],
      ['GET /v2/secret/data/x HTTP/1.1', 404],
      ['GET / HTTP/1.1', 404],
      ['GET /v1/secret/data/../../sys/mounts HTTP/1.1', 400],
      ['GET /v1/secret/data/%2e%2e/x HTTP/1.1', 400],
      ['GET /v1/secret/data/%ff%fe HTTP/1.1', 400],
      ['BREW /v1/secret/data/x HTTP/1.1', 405],
      ['PATCH /v1/secret/data/x HTTP/1.1', 400],
      ['GET /v1/secret/metadata/?list=maybe HTTP/1.1', 400],
      ['GET /v1/auth/token/nope HTTP/1.1', 404],
    ];
    for (const [head, status] of cases) {
      const response = await raw(head);
      expect(response.status, head).toBe(status);
      if (response.json !== undefined) expect(response.json.errors, head).toEqual(expect.any(Array));
    }
  });

  it('drops a stalled client without holding up anyone else', async () => {
    const stalled = await openRawClient(port);
    await stalled.write('PUT /v1/secret/data/slow HTTP/1.1\r\nHost: x\r\nContent-Le');
    const health = await fetch(`${server.url}/v1/sys/health`);
    expect(health.status).toBe(200);
    // The default header timeout is 10 s (Go's and Vault's http_read_header_timeout).
    await waitFor('the stalled connection to be closed', () => stalled.isClosed(), { timeoutMs: 15_000, intervalMs: 100 });
    expect((await fetch(`${server.url}/v1/sys/health`)).status).toBe(200);
  });
});
