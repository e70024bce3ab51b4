// Failures on the server's side of `secretrun server` (a store that fails its integrity check):
// clients get Vault's bare `internal error` and never the store's path; the server's stderr gets
// one line naming the request id and the error, never values or tokens; `sys/health` still
// answers, reporting the node as Vault reports a sealed one, and recovers with the store.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lockPathOf } from '../../src/store/store-paths.js';
import { startServerProcess } from '../http/server-process.js';
import { waitFor } from '../helpers/wait-for.js';
import { createSandbox, expectNoSecrets } from './run-cli.js';

const secretValue = 'server-failure-secret-8c41';

async function api(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}/v1/${path}`, { method, headers: { 'X-Vault-Token': token }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, text: await response.text() };
}

// The store with one character of an entry's ciphertext changed: its MAC no longer matches.
function tamper(original: string): string {
  const lines = original.split('\n');
  const entry = lines[1] ?? '';
  const at = entry.indexOf('"v":"') + 12;
  return [lines[0], `${entry.slice(0, at)}${entry[at] === 'A' ? 'B' : 'A'}${entry.slice(at + 1)}`, ...lines.slice(2)].join('\n');
}

describe('secretrun server when its store fails', () => {
  it('answers internal error without the store path, logs one line per failed request, and reports health as sealed', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const token = server.rootToken as string;
    expect((await api(server.url, token, 'PUT', 'secret/data/app', { data: { token: secretValue } })).status).toBe(200);
    const healthy = await api(server.url, '', 'GET', 'sys/health');
    expect(healthy.status).toBe(200);
    expect(JSON.parse(healthy.text)).toMatchObject({ initialized: true, sealed: false, standby: false, cluster_name: 'secretrun' });

    // A server keeps the store lock a moment after a write, serving reads from memory then (no
    // other secretrun process can write meanwhile); the file is edited once it has let go.
    await waitFor('the server to let go of the store lock', () => !existsSync(lockPathOf(sandbox.storePath)));
    const original = readFileSync(sandbox.storePath, 'utf8');
    writeFileSync(sandbox.storePath, tamper(original));

    const read = await api(server.url, token, 'GET', 'secret/data/app');
    expect(read.status).toBe(500);
    expect(read.text).toBe('{"errors":["internal error"]}\n');
    const write = await api(server.url, token, 'PUT', 'secret/data/other', { data: { a: secretValue } });
    expect(write.status).toBe(500);
    expect(write.text).toBe('{"errors":["internal error"]}\n');

    const logged = await waitFor('two failure lines on stderr', () => {
      const lines = server.stderr().split('\n').filter((line) => line.includes(' failed: '));
      return lines.length >= 2 ? lines : undefined;
    });
    expect(logged[0]).toMatch(/^secretrun server: request [0-9a-f-]{36} \(GET \/v1\/secret\/data\/app\) failed: store_integrity: /);
    expect(logged[1]).toMatch(/^secretrun server: request [0-9a-f-]{36} \(PUT \/v1\/secret\/data\/other\) failed: store_integrity: /);
    expect(server.stderr()).not.toMatch(/\n\s+at /);
    expectNoSecrets(server.stderr(), [secretValue, token], 'server stderr');

    const sealed = await api(server.url, '', 'GET', 'sys/health');
    expect(sealed.status).toBe(503);
    const body = JSON.parse(sealed.text) as Record<string, unknown>;
    expect(body).toMatchObject({ initialized: true, sealed: true, standby: true });
    expect(body).not.toHaveProperty('cluster_name');
    expect(sealed.text).not.toContain(sandbox.dir);
    const sealStatus = await api(server.url, '', 'GET', 'sys/seal-status');
    expect(sealStatus.status).toBe(200);
    expect(JSON.parse(sealStatus.text)).toMatchObject({ sealed: true });

    // The store is put right: the node is healthy again and serves the secret.
    writeFileSync(sandbox.storePath, original);
    expect((await api(server.url, '', 'GET', 'sys/health')).status).toBe(200);
    expect(JSON.parse((await api(server.url, token, 'GET', 'secret/data/app')).text).data.data).toEqual({ token: secretValue });
    expect(await server.stop()).toBe(0);
  });
});
