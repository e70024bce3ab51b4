// The remote source against `secretrun server -dev` (through a counting proxy) and, for
// AppRole, against a tiny scripted Vault written here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteSource } from '../../src/source/remote-source.js';
import type { SecretSource } from '../../src/source/source.js';
import { createSandbox } from '../e2e/run-cli.js';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { waitFor } from '../helpers/wait-for.js';

type Route = (request: IncomingMessage, body: string, response: ServerResponse) => unknown;

const servers: Server[] = [];
const sources: SecretSource[] = [];
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const source of sources.splice(0)) await source.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(route: Route): Promise<string> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => void route(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}

// A proxy in front of the real server that records requests and can play a dead backend.
async function countingProxy(target: string) {
  const seen: string[] = [];
  let down = false;
  const url = await listen(async (request, body, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (down) {
      response.writeHead(503, { 'Content-Type': 'application/json' }).end('{"errors":["Vault is sealed"]}');
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of ['x-vault-token', 'content-type', 'x-vault-namespace']) if (typeof request.headers[name] === 'string') headers[name] = request.headers[name];
    const answer = await fetch(`${target}${request.url}`, { method: request.method ?? 'GET', headers, ...(body === '' ? {} : { body }) });
    response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
  });
  return { url, seen, setDown: (value: boolean) => (down = value) };
}

let server: ServerProcess;
const token = 'source-root';

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${server.url}/v1/${path}`, { method, headers: { 'X-Vault-Token': token }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

beforeAll(async () => {
  server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${token}`], createSandbox().env);
  await api('POST', 'sys/mounts/old', { type: 'kv', options: { version: '1' } });
  await api('PUT', 'secret/data/app/db', { data: { user: 'u1' } });
  await api('PUT', 'secret/data/app/db', { data: { user: 'u2' } });
  await api('PUT', 'secret/data/app/api', { data: { key: 'k' } });
  await api('PUT', 'old/legacy', { value: 'v1' });
});

afterAll(async () => {
  await server?.stop();
});

function source(address: string, extra: Partial<Parameters<typeof createRemoteSource>[0]> = {}): SecretSource {
  const created = createRemoteSource({ address, env: { VAULT_TOKEN: token }, ...extra });
  sources.push(created);
  return created;
}

describe('createRemoteSource reads', () => {
  it('reads each distinct path once, asks each mount once, and maps the answers', async () => {
    const proxy = await countingProxy(server.url);
    const reads = await source(proxy.url).readSecrets([
      { path: 'secret/app/db' },
      { path: 'secret/app/db' },
      { path: 'secret/app/db', version: 1 },
      { path: 'secret/app/api' },
      { path: 'secret/app/none' },
      { path: 'old/legacy' },
      { path: 'nomount/x' },
    ]);
    expect(reads.get('secret/app/db')).toEqual({ status: 'found', secret: { data: { user: 'u2' }, version: 2 } });
    expect(reads.get('secret/app/db@1')).toEqual({ status: 'found', secret: { data: { user: 'u1' }, version: 1 } });
    expect(reads.get('secret/app/api')).toMatchObject({ status: 'found' });
    expect(reads.get('secret/app/none')).toEqual({ status: 'missing' });
    expect(reads.get('old/legacy')).toEqual({ status: 'found', secret: { data: { value: 'v1' }, version: 0 } });
    expect(reads.get('nomount/x')).toMatchObject({ status: 'forbidden', reason: expect.stringContaining('preflight capability check returned 403') });
    expect(reads.size).toBe(6);
    const dataReads = proxy.seen.filter((line) => !line.includes('/sys/internal/ui/mounts/'));
    expect(dataReads.sort()).toEqual(
      ['GET /v1/secret/data/app/db', 'GET /v1/secret/data/app/db?version=1', 'GET /v1/secret/data/app/api', 'GET /v1/secret/data/app/none', 'GET /v1/old/legacy'].sort(),
    );
    const lookups = proxy.seen.filter((line) => line.includes('/sys/internal/ui/mounts/'));
    expect(lookups.filter((line) => line.includes('/secret/'))).toHaveLength(1);
    expect(lookups).toHaveLength(3);
  });

  it('maps a deleted version to missing, a bad token to forbidden, and a dead server to unavailable', async () => {
    await api('PUT', 'secret/data/app/gone', { data: { a: 'b' } });
    await api('DELETE', 'secret/data/app/gone');
    expect((await source(server.url).readSecrets([{ path: 'secret/app/gone' }])).get('secret/app/gone')).toEqual({ status: 'missing' });
    const denied = createRemoteSource({ address: server.url, env: { VAULT_TOKEN: 'wrong' } });
    sources.push(denied);
    expect((await denied.readSecrets([{ path: 'secret/app/db' }])).get('secret/app/db')).toMatchObject({ status: 'forbidden', reason: expect.stringContaining('permission denied') });
    const proxy = await countingProxy(server.url);
    proxy.setDown(true);
    expect((await source(proxy.url).readSecrets([{ path: 'secret/app/db' }])).get('secret/app/db')).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('503') });
    const nowhere = await source('http://127.0.0.1:1').readSecrets([{ path: 'secret/app/db' }]);
    expect(nowhere.get('secret/app/db')).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('createRemoteSource watch', () => {
  it('notices a new version and a soft delete by polling metadata', async () => {
    await api('PUT', 'secret/data/watch/a', { data: { n: '1' } });
    const proxy = await countingProxy(server.url);
    const watched = source(proxy.url, { pollIntervalMs: 40 });
    await watched.readSecrets([{ path: 'secret/watch/a' }]);
    let changes = 0;
    const errors: string[] = [];
    stops.push(await watched.watch!(() => (changes += 1), (reason) => errors.push(reason)));
    await waitFor('a few polls', () => proxy.seen.filter((line) => line.includes('/metadata/watch/a')).length >= 3);
    expect(changes).toBe(0);
    await api('PUT', 'secret/data/watch/a', { data: { n: '2' } });
    await waitFor('the new version to be noticed', () => changes === 1);
    await api('DELETE', 'secret/data/watch/a');
    await waitFor('the soft delete to be noticed', () => changes === 2);
    expect(errors).toEqual([]);
  });

  it('reports every failed poll, backs off, and reports the recovery', async () => {
    const proxy = await countingProxy(server.url);
    let changes = 0;
    let recovered = 0;
    const errors: string[] = [];
    const failedAt: number[] = [];
    const polls = () => proxy.seen.filter((line) => line.includes('/metadata/app/api')).length;
    const withRecovery = createRemoteSource({ address: proxy.url, env: { VAULT_TOKEN: token }, pollIntervalMs: 30, maxBackoffMs: 120, onRecovered: () => (recovered += 1) });
    sources.push(withRecovery);
    await withRecovery.readSecrets([{ path: 'secret/app/api' }]);
    stops.push(await withRecovery.watch!(() => (changes += 1), (reason) => failedAt.push(errors.push(reason) && Date.now())));
    await waitFor('polling to run', () => polls() >= 2);
    proxy.setDown(true);
    await waitFor('four failures', () => errors.length >= 4);
    // Waits after failures 1, 2, 3 are 30, 60 and 120 ms (±10 %): the gaps grow.
    const gap = (i: number) => (failedAt[i] ?? 0) - (failedAt[i - 1] ?? 0);
    expect(gap(3)).toBeGreaterThan(gap(1) * 2);
    expect(errors[0]).toMatch(/polling http:\/\/127\.0\.0\.1:\d+ failed \(attempt 1\): .*503/);
    expect(errors[2]).toContain('(attempt 3)');
    proxy.setDown(false);
    await waitFor('recovery', () => recovered === 1);
    expect(changes).toBe(1);
  });

  it('renews a renewable token before it expires', async () => {
    const created = await api('POST', 'auth/token/create', { ttl: '2s', renewable: true, policies: ['root'] });
    const short = created.auth.client_token as string;
    const errors: string[] = [];
    const watched = createRemoteSource({ address: server.url, env: { VAULT_TOKEN: short }, pollIntervalMs: 200 });
    sources.push(watched);
    expect((await watched.readSecrets([{ path: 'secret/app/db' }])).get('secret/app/db')).toMatchObject({ status: 'found' });
    stops.push(await watched.watch!(() => undefined, (reason) => errors.push(reason)));
    const started = Date.now();
    await waitFor('the original 2 s lease to pass', () => Date.now() - started > 3_000, { timeoutMs: 5_000, intervalMs: 100 });
    expect((await watched.readSecrets([{ path: 'secret/app/db' }])).get('secret/app/db')).toMatchObject({ status: 'found' });
    expect(errors).toEqual([]);
  });
});

describe('createRemoteSource with AppRole', () => {
  it('logs in, sends the new token, and renews it before expiry', async () => {
    let renewals = 0;
    const tokensSeen = new Set<string>();
    const url = await listen((request, body, response) => {
      const json = (status: number, value: unknown) => response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
      const auth = (lease: number) => ({ auth: { client_token: 'approle-token', lease_duration: lease, renewable: true } });
      if (request.url === '/v1/auth/approle/login') {
        const { role_id, secret_id } = JSON.parse(body) as Record<string, string>;
        return role_id === 'role' && secret_id === 'secret' ? json(200, auth(1)) : json(400, { errors: ['invalid role or secret ID'] });
      }
      const presented = String(request.headers['x-vault-token'] ?? '');
      tokensSeen.add(presented);
      if (presented !== 'approle-token') return json(403, { errors: ['permission denied'] });
      if (request.url === '/v1/auth/token/renew-self') {
        renewals += 1;
        return json(200, auth(1));
      }
      if (request.url?.startsWith('/v1/sys/internal/ui/mounts/')) return json(200, { data: { path: 'kv/', options: { version: '2' } } });
      if (request.url === '/v1/kv/data/x') return json(200, { data: { data: { a: 'b' }, metadata: { version: 4 } } });
      if (request.url === '/v1/kv/metadata/x') return json(200, { data: { current_version: 4, versions: { '4': { deletion_time: '', destroyed: false } } } });
      return json(404, { errors: [] });
    });
    const approle = createRemoteSource({ address: url, env: {}, auth: { kind: 'approle', roleId: 'role', secretId: 'secret' }, pollIntervalMs: 100 });
    sources.push(approle);
    expect((await approle.readSecrets([{ path: 'kv/x' }])).get('kv/x')).toEqual({ status: 'found', secret: { data: { a: 'b' }, version: 4 } });
    const errors: string[] = [];
    stops.push(await approle.watch!(() => undefined, (reason) => errors.push(reason)));
    await waitFor('two renewals of the 1 s lease', () => renewals >= 2, { timeoutMs: 5_000 });
    expect([...tokensSeen]).toEqual(['approle-token']);
    expect(errors).toEqual([]);
    const wrong = createRemoteSource({ address: url, env: {}, auth: { kind: 'approle', roleId: 'role', secretId: 'nope' } });
    sources.push(wrong);
    expect((await wrong.readSecrets([{ path: 'kv/x' }])).get('kv/x')).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('AppRole login at auth/approle/login failed with status 400: invalid role or secret ID') });
  });
});
