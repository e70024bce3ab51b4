// `secretrun server` as users run it: the built CLI in a real process.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRawClient } from '../http/transport/raw-client.js';
import { startServerProcess } from '../http/server-process.js';
import { waitFor } from '../helpers/wait-for.js';
import { createSandbox, runCli } from './run-cli.js';

async function api(url: string, token: string | undefined, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = token === undefined ? {} : { 'X-Vault-Token': token };
  const response = await fetch(`${url}/v1/${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as any) };
}

describe('secretrun server -dev', () => {
  it('prints the vault-style banner with the root token and saves it for the CLI', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0'], sandbox.env);
    const out = server.stdout();
    expect(out).toContain('==> secretrun server configuration:');
    expect(out).toContain(`Api Address: ${server.url}`);
    expect(out).toContain('WARNING! dev mode is enabled!');
    expect(out).toContain(`    $ export VAULT_ADDR='${server.url}'`);
    expect(server.rootToken).toMatch(/^hvs\.[A-Za-z0-9]{24}$/);
    expect(readFileSync(join(sandbox.dir, '.vault-token'), 'utf8')).toBe(server.rootToken);
    expect((await api(server.url, server.rootToken, 'GET', 'auth/token/lookup-self')).json.data).toMatchObject({ policies: ['root'], path: 'auth/token/root', ttl: 0 });
    expect(await server.stop('SIGINT')).toBe(0);
    expect(server.stdout()).toContain('shutdown triggered (SIGINT)');
  });

  it('takes -dev-root-token-id and VAULT_DEV_ROOT_TOKEN_ID', async () => {
    const sandbox = createSandbox();
    const byFlag = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=flag-root'], sandbox.env);
    expect(byFlag.rootToken).toBe('flag-root');
    expect((await api(byFlag.url, 'flag-root', 'GET', 'secret/config')).status).toBe(200);
    expect(await byFlag.stop()).toBe(0);
    const byEnv = await startServerProcess(['-dev'], { ...sandbox.env, VAULT_DEV_ROOT_TOKEN_ID: 'env-root', VAULT_DEV_LISTEN_ADDRESS: '127.0.0.1:0' });
    expect(byEnv.rootToken).toBe('env-root');
    expect(await byEnv.stop()).toBe(0);
  });

  it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=r'], sandbox.env);
    const client = await openRawClient(Number(new URL(server.url).port));
    const body = JSON.stringify({ data: { a: 'b' } });
    await client.write(`PUT /v1/secret/data/inflight HTTP/1.1\r\nHost: x\r\nX-Vault-Token: r\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    // Only a request the server has started reading is in flight: until it read these bytes the
    // connection is idle and shutdown may close it. Wait until the kernel holds none of them.
    await waitFor('the server to read the partial request', () => serverReceiveQueueEmpty(new URL(server.url).port, client.socket.localPort));
    server.child.kill('SIGTERM');
    await waitFor('the shutdown to start', () => server.stdout().includes('shutdown triggered'));
    await client.write(body.slice(5));
    const [response] = await client.read(1);
    expect(response?.status).toBe(200);
    expect((await server.exited).code).toBe(0);
  });

  it('creates tokens with a TTL that renew-self extends and revoke-self ends', async () => {
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=r'], createSandbox().env);
    const created = await api(server.url, 'r', 'POST', 'auth/token/create', { ttl: '1h', policies: 'dev', explicit_max_ttl: '2h' });
    expect(created.status).toBe(200);
    expect(created.json.auth).toMatchObject({ policies: ['default', 'dev'], lease_duration: 3600, renewable: true, token_type: 'service' });
    const child = created.json.auth.client_token as string;
    expect((await api(server.url, child, 'GET', 'secret/data/x')).status).toBe(403);
    expect((await api(server.url, child, 'GET', 'auth/token/lookup-self')).json.data).toMatchObject({ policies: ['default', 'dev'], creation_ttl: 3600, renewable: true });
    const renewed = await api(server.url, child, 'POST', 'auth/token/renew-self', { increment: '3h' });
    expect(renewed.json.auth.lease_duration).toBeGreaterThan(7000);
    expect(renewed.json.auth.lease_duration).toBeLessThanOrEqual(7200);
    expect((await api(server.url, child, 'POST', 'auth/token/revoke-self')).status).toBe(204);
    expect((await api(server.url, child, 'GET', 'auth/token/lookup-self')).status).toBe(403);
    const rootChild = await api(server.url, 'r', 'POST', 'auth/token/create', {});
    expect(rootChild.json.auth).toMatchObject({ policies: ['root'], lease_duration: 0, renewable: false });
    expect((await api(server.url, rootChild.json.auth.client_token, 'POST', 'auth/token/renew-self')).json.errors).toEqual(['lease is not renewable']);
    expect(await server.stop()).toBe(0);
  });
});

describe('secretrun server over a store file', () => {
  it('creates a root token on the first start only, keeps only its hash, and keeps the data', async () => {
    const sandbox = createSandbox();
    const first = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const token = first.rootToken as string;
    expect(token).toMatch(/^hvs\./);
    expect(first.stdout()).toContain(`Storage: file (path: ${sandbox.storePath})`);
    expect((await api(first.url, token, 'PUT', 'secret/data/kept', { data: { v: 'persisted-value' } })).status).toBe(200);
    expect(await first.stop()).toBe(0);
    const file = readFileSync(sandbox.storePath, 'utf8');
    expect(file).not.toContain(token);
    expect(file).not.toContain('persisted-value');
    const second = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    expect(second.rootToken).toBeUndefined();
    expect(second.stdout()).not.toContain('Root Token');
    expect((await api(second.url, token, 'GET', 'secret/data/kept')).json.data.data).toEqual({ v: 'persisted-value' });
    expect(await second.stop()).toBe(0);
  });

  it('writes the first root token to -root-token-file and reads -config', async () => {
    const sandbox = createSandbox();
    const config = join(sandbox.dir, 'server.yaml');
    writeFileSync(config, `storage:\n  file:\n    path: ${join(sandbox.dir, 'other.json')}\nlistener:\n  tcp:\n    address: 127.0.0.1:0\n    tls_disable: true\n`);
    const tokenFile = join(sandbox.dir, 'root-token');
    const server = await startServerProcess([`-config=${config}`, `-root-token-file=${tokenFile}`], sandbox.env, sandbox.dir);
    expect(server.rootToken).toBeUndefined();
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(server.stdout()).not.toContain(token);
    expect(server.stdout()).toContain(`file (path: ${join(sandbox.dir, 'other.json')})`);
    expect((await api(server.url, token, 'GET', 'sys/mounts')).status).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it('fails with a one-line error naming a bad listen address', async () => {
    const sandbox = createSandbox({ key: false });
    const bad = await runCli(['server', '-listen-address=nope'], sandbox.env, { cwd: sandbox.dir });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('invalid value "nope" for flag -listen-address');
  });
});

// Whether the server's end of the loopback connection from `clientPort` has no unread bytes
// (Linux /proc/net/tcp: rx_queue of the socket whose local port is the server's).
function serverReceiveQueueEmpty(serverPort: string, clientPort: number | undefined): boolean {
  const hex = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, remote, , queues] = line.trim().split(/\s+/);
    if (local?.endsWith(`:${hex(Number(serverPort))}`) && remote?.endsWith(`:${hex(clientPort ?? -1)}`)) {
      return queues?.split(':')[1] === '00000000';
    }
  }
  return false;
}
