import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import vault from 'node-vault';
import { afterEach, describe, expect, it } from 'vitest';
import { createVaultServer } from '../../src/http/server.js';
import type { VaultServer, VaultServerOptions } from '../../src/http/server.js';
import type { WireHandler, WireHead, WireResponse } from '../../src/http/wire.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { openRawClient } from './transport/raw-client.js';
import type { RawClient } from './transport/raw-client.js';

interface Echo {
  method: string;
  path: string;
  query: [string, string][];
  body: string;
  remotePort: number;
  contentType: string | undefined;
}

// The test's WireHandler: answers with what it received, so the transport can be checked
// end to end. `/v1/throw` throws; `/v1/wait` waits until the test opens the gate.
function createEchoHandler() {
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  let waiting = 0;
  const handler: WireHandler = async (request) => {
    if (request.path === '/v1/throw') throw new Error('handler failed on purpose');
    if (request.path === '/v1/wait') {
      waiting += 1;
      await gate;
    }
    const echo: Echo = {
      method: request.method,
      path: request.path,
      query: [...request.query],
      body: request.body.toString('utf8'),
      remotePort: request.remotePort,
      contentType: request.headers['content-type'],
    };
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-echo': 'yes' },
      body: `${JSON.stringify({ request_id: 'test', data: echo })}\n`,
    };
  };
  return { handler, openGate, waitingCount: () => waiting };
}

const servers: VaultServer[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Partial<VaultServerOptions> = {}) {
  const echo = createEchoHandler();
  const logged: string[] = [];
  const server = createVaultServer({ handler: echo.handler, port: 0, logError: (line) => logged.push(line), ...options });
  servers.push(server);
  const address = await server.listen();
  return { server, address, echo, logged };
}

async function raw(port: number): Promise<RawClient> {
  const client = await openRawClient(port);
  clients.push(client);
  return client;
}

const dataOf = (body: string): Echo => (JSON.parse(body) as { data: Echo }).data;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  localPort: number;
}

// One request through Node's own client.
function send(
  url: string,
  options: { method?: string; path: string; headers?: OutgoingHttpHeaders; body?: string | Buffer[]; agent?: Agent },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(options.path, url);
    const req = httpRequest(target, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8'), localPort: req.socket?.localPort ?? 0 }),
      );
    });
    req.on('error', reject);
    if (Array.isArray(options.body)) for (const part of options.body) req.write(part);
    else if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe('createVaultServer', () => {
  it('receives LIST over a raw socket and answers with Vault headers', async () => {
    const { address } = await start();
    const client = await raw(address.port);
    await client.write('LIST /v1/secret/metadata/x HTTP/1.1\r\nHost: localhost\r\nX-Vault-Token: root\r\n\r\n');
    const [response] = await client.read();
    expect(response?.status).toBe(200);
    expect(response?.headers['content-type']).toBe('application/json');
    expect(response?.headers['cache-control']).toBe('no-store');
    expect(response?.headers['x-echo']).toBe('yes');
    expect(dataOf(response?.body ?? '')).toMatchObject({ method: 'LIST', path: '/v1/secret/metadata/x', body: '' });
  });

  it('serves node-vault, whose list() sends LIST', async () => {
    const { address } = await start();
    const client = vault({ endpoint: address.url, token: 'root' });
    const listed = (await client.list('secret/metadata/x')) as { data: Echo };
    expect(listed.data).toMatchObject({ method: 'LIST', path: '/v1/secret/metadata/x' });
    const read = (await client.read('secret/data/x')) as { data: Echo };
    expect(read.data.method).toBe('GET');
  });

  it('passes GET ?list=true through untouched', async () => {
    const { address } = await start();
    const reply = await send(address.url, { path: '/v1/secret/metadata/?list=true' });
    expect(dataOf(reply.body)).toMatchObject({ method: 'GET', path: '/v1/secret/metadata/', query: [['list', 'true']] });
  });

  it('mixes LIST, GET and PUT with bodies on one keep-alive connection (http.Agent)', async () => {
    const { address } = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const replies: Reply[] = [];
      for (let round = 0; round < 3; round++) {
        replies.push(await send(address.url, { method: 'LIST', path: '/v1/secret/metadata/', agent }));
        replies.push(await send(address.url, { path: '/v1/secret/data/a?version=2', agent }));
        const body = JSON.stringify({ data: { note: 'LIST /v1/x HTTP/1.1\r\n\r\n' } });
        replies.push(await send(address.url, { method: 'PUT', path: '/v1/secret/data/a', body, headers: { 'content-type': 'application/json' }, agent }));
        replies.push(await send(address.url, { method: 'POST', path: '/v1/secret/data/b', body: [Buffer.from('{"da'), Buffer.from('ta":{}}')], agent }));
      }
      expect(replies.map((reply) => dataOf(reply.body).method)).toEqual(Array(3).fill(['LIST', 'GET', 'PUT', 'POST']).flat());
      expect(dataOf(replies[2]?.body ?? '').body).toBe(JSON.stringify({ data: { note: 'LIST /v1/x HTTP/1.1\r\n\r\n' } }));
      expect(dataOf(replies[3]?.body ?? '').body).toBe('{"data":{}}');
      // One socket served every request.
      expect(new Set(replies.map((reply) => dataOf(reply.body).remotePort)).size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('answers pipelined requests in order, bodies containing "LIST " included', async () => {
    const { address } = await start();
    const client = await raw(address.port);
    const putBody = 'LIST /v1/evil HTTP/1.1\r\nHost: x\r\n\r\n';
    const chunked = '5\r\nLIST \r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n';
    await client.write(
      'LIST /v1/a HTTP/1.1\r\nHost: x\r\n\r\n' +
        'GET /v1/b?list=true HTTP/1.1\r\nHost: x\r\n\r\n' +
        `PUT /v1/c HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(putBody)}\r\n\r\n${putBody}` +
        `POST /v1/d HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}` +
        '\r\nLIST /v1/e/ HTTP/1.1\r\nHost: x\r\n\r\n' +
        'DELETE /v1/f HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    const responses = await client.read(6);
    const echoes = responses.map((response) => dataOf(response.body));
    expect(echoes.map((echo) => `${echo.method} ${echo.path}`)).toEqual([
      'LIST /v1/a',
      'GET /v1/b',
      'PUT /v1/c',
      'POST /v1/d',
      'LIST /v1/e/',
      'DELETE /v1/f',
    ]);
    expect(echoes[2]?.body).toBe(putBody);
    expect(echoes[3]?.body).toBe('LIST abc');
    expect(client.isClosed()).toBe(false);
  });

  it('keeps order when a client pipelines more than the socket buffers hold before reading', async () => {
    const { address } = await start();
    const client = await raw(address.port);
    const count = 3000;
    client.socket.pause();
    const requests = Array.from({ length: count }, (_, i) => `${i % 2 ? 'LIST' : 'GET'} /v1/n/${i} HTTP/1.1\r\nHost: x\r\n\r\n`).join('');
    // Not awaited: the server stops reading while its answers wait for this client to read.
    const written = client.write(requests);
    await waitFor('server blocked on the unread client', () => client.socket.readableLength > 0 || client.socket.bytesRead > 0);
    client.socket.resume();
    const responses = await client.read(count);
    await written;
    expect(responses.map((response) => dataOf(response.body).path)).toEqual(Array.from({ length: count }, (_, i) => `/v1/n/${i}`));
  });

  it('parses a request line split at every byte position on one keep-alive connection', async () => {
    const { address } = await start();
    const client = await raw(address.port);
    const requestLine = 'LIST /v1/secret/metadata/dir/ HTTP/1.1\r\n';
    for (let at = 1; at < requestLine.length; at++) {
      await client.write(requestLine.slice(0, at));
      await client.write(`${requestLine.slice(at)}Host: x\r\nContent-Length: 4\r\n\r\nbody`);
      const [response] = await client.read();
      expect(dataOf(response?.body ?? '')).toMatchObject({ method: 'LIST', path: '/v1/secret/metadata/dir/', body: 'body' });
    }
  });

  it('reads chunked bodies sent by Node and answers 100-continue', async () => {
    const { address } = await start();
    const reply = await send(address.url, {
      method: 'POST',
      path: '/v1/secret/data/chunky',
      headers: { 'transfer-encoding': 'chunked' },
      body: [Buffer.from('{"data":'), Buffer.from('{"k":"'), Buffer.from('é'), Buffer.from('"}}')],
    });
    expect(dataOf(reply.body).body).toBe('{"data":{"k":"é"}}');

    const client = await raw(address.port);
    await client.write('PUT /v1/x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n');
    await waitFor('100 Continue', () => client.pending().startsWith('HTTP/1.1 100 Continue\r\n\r\n'));
    await client.write('{}');
    const text = await waitFor('final response', () => (client.pending().includes('"body":"{}"') ? client.pending() : undefined));
    expect(text).toContain('HTTP/1.1 200 OK');
  });

  it('answers 413 with a Vault error body when the body is over maxRequestBytes', async () => {
    const { address } = await start({ maxRequestBytes: 1024 });
    const ok = await send(address.url, { method: 'PUT', path: '/v1/x', body: 'a'.repeat(1024) });
    expect(ok.status).toBe(200);

    const big = await send(address.url, { method: 'PUT', path: '/v1/x', body: 'a'.repeat(64 * 1024) });
    expect(big.status).toBe(413);
    expect(big.headers['content-type']).toBe('application/json');
    expect(big.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(big.body)).toEqual({ errors: ['http: request body too large'] });

    const chunkedBig = await send(address.url, { method: 'PUT', path: '/v1/x', headers: { 'transfer-encoding': 'chunked' }, body: Array(10).fill(Buffer.alloc(200, 'b')) });
    expect(chunkedBig.status).toBe(413);
    expect(JSON.parse(chunkedBig.body)).toEqual({ errors: ['http: request body too large'] });
  });

  it('times out a slow-loris client while serving others', async () => {
    const { address } = await start({ headersTimeoutMs: 1500 });
    const stalled = await raw(address.port);
    await stalled.write('GET /v1/secret/data/a HTTP/1.1\r\nHost: x\r\n');
    const trickler = await raw(address.port);
    await trickler.write('GET /v1/secret/data/b HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    // Each byte arrives in time, but the request as a whole does not: the deadline must not reset.
    const trickle = setInterval(() => trickler.socket.write('a'), 20);
    try {
      const reply = await send(address.url, { path: '/v1/other' });
      expect(reply.status).toBe(200);
      await waitFor('stalled client closed', () => stalled.isClosed());
      await waitFor('trickling client closed', () => trickler.isClosed());
      expect(stalled.pending()).toMatch(/^HTTP\/1\.1 408 /);
      expect(stalled.pending()).toContain('{"errors":["request timed out"]}');
      expect(trickler.pending()).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
    }
    expect((await send(address.url, { path: '/v1/after' })).status).toBe(200);
  });

  it('closes idle keep-alive connections after keepAliveTimeoutMs', async () => {
    const { address } = await start({ keepAliveTimeoutMs: 200 });
    const client = await raw(address.port);
    await client.write('GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.read();
    await waitFor('idle connection closed', () => client.isClosed());
  });

  it('answers a malformed request with 400, closes that connection and keeps serving', async () => {
    const { address } = await start();
    for (const bad of ['GARBAGE\r\n\r\n', 'GET /v1/a HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n', 'GET /v1/a HTTP/1.1\r\n\r\n']) {
      const client = await raw(address.port);
      await client.write(bad);
      const [response] = await client.read();
      expect(response?.status).toBe(400);
      expect(response?.headers['content-type']).toBe('application/json');
      expect((JSON.parse(response?.body ?? '') as { errors: string[] }).errors).toHaveLength(1);
      await client.closed;
    }
    expect((await send(address.url, { path: '/v1/a' })).status).toBe(200);
  });

  it('rejects invalid UTF-8, bad escapes and ".." segments in the path with 400', async () => {
    const { address } = await start();
    const client = await raw(address.port);
    const paths = ['/v1/secret/data/%ff', '/v1/secret/data/%zz', '/v1/secret/../sys/mounts', '/v1/secret/%2e%2e/sys', '/v1/a%2F..%2Fb'];
    await client.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
    const responses = await client.read(paths.length);
    expect(responses.map((response) => response.status)).toEqual(paths.map(() => 400));
    expect(JSON.parse(responses[0]?.body ?? '')).toEqual({ errors: ['invalid request path: not valid UTF-8'] });
    expect(JSON.parse(responses[1]?.body ?? '')).toEqual({ errors: ['invalid URL escape "%zz"'] });
    expect(JSON.parse(responses[2]?.body ?? '')).toEqual({ errors: ['invalid request path: ".." segments are not allowed'] });
    // Valid UTF-8 escapes pass through still encoded.
    const reply = await send(address.url, { path: '/v1/secret/data/caf%C3%A9' });
    expect(dataOf(reply.body).path).toBe('/v1/secret/data/caf%C3%A9');
  });

  it('turns a throwing handler into 500 internal error, logged without the body', async () => {
    const { address, logged } = await start();
    const reply = await send(address.url, { method: 'PUT', path: '/v1/throw', body: '{"data":{"password":"hunter2-secret"}}' });
    expect(reply.status).toBe(500);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body)).toEqual({ errors: ['internal error'] });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('PUT /v1/throw');
    expect(logged[0]).toContain('handler failed on purpose');
    expect(logged[0]).not.toContain('hunter2-secret');
    expect((await send(address.url, { path: '/v1/a' })).status).toBe(200);
  });

  it('turns an unencodable handler response into 500', async () => {
    const logged: string[] = [];
    const server = createVaultServer({
      port: 0,
      logError: (line) => logged.push(line),
      handler: async () => ({ status: 200, headers: { 'x-bad': 'a\r\nSet-Cookie: injected' }, body: '{}' }),
    });
    servers.push(server);
    const address = await server.listen();
    const reply = await send(address.url, { path: '/v1/a' });
    expect(reply.status).toBe(500);
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(logged).toHaveLength(1);
  });

  it('shuts down gracefully: in-flight requests finish, idle sockets close, new ones are refused', async () => {
    const { server, address, echo } = await start();
    const idle = await raw(address.port);
    await idle.write('GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n');
    await idle.read();

    const inFlight = send(address.url, { path: '/v1/wait' });
    await waitFor('handler entered', () => echo.waitingCount() === 1);
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await waitFor('idle keep-alive socket closed', () => idle.isClosed());
    await expect(
      new Promise((resolve, reject) => connect({ host: '127.0.0.1', port: address.port }).on('connect', resolve).on('error', reject)),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(closed).toBe(false);

    echo.openGate();
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');
    await closing;
    expect(server.address).toBeUndefined();
  });

  it('serves HTTP/1.0 and closes unless keep-alive is asked for', async () => {
    const { address } = await start();
    const client = await raw(address.port);
    await client.write('LIST /v1/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    const [first] = await client.read();
    expect(first?.headers.connection).toBe('keep-alive');
    await client.write('GET /v1/b HTTP/1.0\r\n\r\n');
    const [second] = await client.read();
    expect(second?.headers.connection).toBe('close');
    await client.closed;
  });

  it('refuses invalid options with the option named', () => {
    expect(() => createVaultServer({ handler: createEchoHandler().handler, port: 70000 })).toThrow(/invalid option port: 70000 \(number\)/);
  });

  it('survives clients that reset mid-request or speak plain HTTP to a TLS port', async () => {
    const { address } = await start();
    const client = await raw(address.port);
    await client.write('PUT /v1/a HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc');
    client.socket.resetAndDestroy();
    await client.closed;
    expect((await send(address.url, { path: '/v1/b' })).status).toBe(200);
  });

  it('serves TLS with a self-signed certificate, LIST included', async () => {
    const dir = makeTempDir();
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certFile, 'utf8');
    const { address } = await start({ tls: { cert, key: readFileSync(keyFile) } });
    expect(address.url).toBe(`https://127.0.0.1:${address.port}`);
    const agent = new (await import('node:https')).Agent({ keepAlive: true, maxSockets: 1, ca: cert });
    try {
      const methods: string[] = [];
      for (const method of ['LIST', 'GET', 'LIST']) {
        const body = await new Promise<string>((resolve, reject) => {
          const req = httpsRequest(`${address.url}/v1/secret/metadata/`, { method, agent }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve(text));
          });
          req.on('error', reject);
          req.end();
        });
        methods.push(dataOf(body).method);
      }
      expect(methods).toEqual(['LIST', 'GET', 'LIST']);
      const vaultClient = vault({ endpoint: address.url, token: 'root', requestOptions: { ca: cert } } as Parameters<typeof vault>[0]);
      expect(((await vaultClient.list('secret/metadata/')) as { data: Echo }).data.method).toBe('LIST');
      // Plain HTTP to the TLS port fails the handshake of that connection only.
      const plain = await raw(address.port);
      await plain.write('GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n');
      await plain.closed;
      expect(((await vaultClient.read('secret/data/x')) as { data: Echo }).data.method).toBe('GET');
    } finally {
      agent.destroy();
    }
  });
});

describe('createVaultServer memory and connection limits', () => {
  const refusal: WireResponse = { status: 403, headers: { 'content-type': 'application/json' }, body: '{"errors":["permission denied"]}\n' };

  it('asks admit about a large body before reading it, and answers a refusal at once', async () => {
    const echo = createEchoHandler();
    const admitted: string[] = [];
    const handler = Object.assign(echo.handler, {
      admit: async (head: WireHead) => {
        admitted.push(head.path);
        return head.headers['x-vault-token'] === 'ok' ? undefined : refusal;
      },
    });
    const { address } = await start({ handler });
    // A body within a connection's free allowance is read without asking.
    const small = 'x'.repeat(1000);
    expect((await send(address.url, { method: 'PUT', path: '/v1/small', headers: { 'content-length': small.length }, body: small })).status).toBe(200);
    expect(admitted).toEqual([]);

    // Refused on the head alone: no 100 Continue, no body read, the connection closed.
    const refused = await raw(address.port);
    await refused.write(`PUT /v1/big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: ${1024 * 1024}\r\n\r\n`);
    const [answer] = await refused.read();
    expect(answer?.status).toBe(403);
    expect(answer?.headers.connection).toBe('close');
    await refused.closed;

    // Admitted: 100 Continue, then the body is read and handled.
    const body = 'y'.repeat(200 * 1024);
    const ok = await raw(address.port);
    await ok.write(`PUT /v1/big HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ok\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`);
    const [go] = await ok.read();
    expect(go?.status).toBe(100);
    await ok.write(body);
    const [done] = await ok.read();
    expect(done?.status).toBe(200);
    expect(dataOf(done?.body ?? '').body).toBe(body);
    // Chunked bodies have no announced size, so they are always admitted first.
    await send(address.url, { method: 'POST', path: '/v1/chunked', headers: { 'transfer-encoding': 'chunked', 'x-vault-token': 'ok' }, body: [Buffer.from('ab')] });
    expect(admitted).toEqual(['/v1/big', '/v1/big', '/v1/chunked']);
  });

  it('makes a large body wait for the budget, answers 503 at its deadline, and frees the budget after handling', async () => {
    // Budget 150 KiB: one 90 KiB body fits, two do not.
    const { address, echo } = await start({ maxHeldRequestBytes: 150 * 1024, maxRequestBytes: 100 * 1024, maxHeaderBytes: 1024, requestTimeoutMs: 1500 });
    const body = 'z'.repeat(90 * 1024);
    const sized = { 'content-length': body.length };
    const holding = send(address.url, { method: 'PUT', path: '/v1/wait', headers: sized, body });
    await waitFor('first body in its handler', () => echo.waitingCount() === 1);

    const waiting = await raw(address.port);
    await waiting.write(`PUT /v1/second HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const [busy] = await waiting.read();
    expect(busy?.status).toBe(503);
    expect(JSON.parse(busy?.body ?? '')).toEqual({ errors: ['server busy: too many request bodies in flight; try again later'] });

    echo.openGate();
    expect((await holding).status).toBe(200);
    // The first body's bytes went back to the budget: another one fits again.
    const third = await send(address.url, { method: 'PUT', path: '/v1/third', headers: sized, body });
    expect(dataOf(third.body).body).toBe(body);
  });

  it('closes the longest-idle connection to make room, and refuses with 503 when none is idle', async () => {
    const { address, echo } = await start({ maxConnections: 2 });
    const first = await raw(address.port);
    await first.write('GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n');
    await first.read();
    const second = await raw(address.port);
    await second.write('GET /v1/wait HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('second connection in its handler', () => echo.waitingCount() === 1);

    // Full: the idle first connection makes room for a third.
    const third = await raw(address.port);
    await first.closed;
    await third.write('GET /v1/wait HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('third connection in its handler', () => echo.waitingCount() === 2);

    // Full of connections doing work: the fourth is told so.
    const fourth = await raw(address.port);
    const [refused] = await fourth.read();
    expect(refused?.status).toBe(503);
    expect(JSON.parse(refused?.body ?? '')).toEqual({ errors: ['server busy: too many connections; try again later'] });
    await fourth.closed;

    echo.openGate();
    expect((await second.read())[0]?.status).toBe(200);
    expect((await third.read())[0]?.status).toBe(200);
  });
});
