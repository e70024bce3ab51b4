// One store file, several processes: `secretrun server` and the local CLI writing at once.
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../http/server-process.js';
import { createSandbox, expectExit } from './run-cli.js';

async function api(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}/v1/${path}`, { method, headers: { 'X-Vault-Token': token }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as any) };
}

describe('secretrun server and the CLI on one store', () => {
  it('serves a CLI write on the very next HTTP read', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const token = server.rootToken as string;
    expect((await api(server.url, token, 'PUT', 'secret/data/shared', { data: { from: 'http' } })).status).toBe(200);
    expect((await api(server.url, token, 'GET', 'secret/data/shared')).json.data.metadata.version).toBe(1);
    expectExit(await sandbox.run(['kv', 'put', 'secret/shared', 'from=cli']), 0);
    const read = await api(server.url, token, 'GET', 'secret/data/shared');
    expect(read.json.data.data).toEqual({ from: 'cli' });
    expect(read.json.data.metadata.version).toBe(2);
    const cliRead = expectExit(await sandbox.run(['kv', 'get', '-format=json', 'secret/shared']), 0);
    expect(JSON.parse(cliRead.stdout).data.metadata.version).toBe(2);
    expect(await server.stop()).toBe(0);
  });

  it('loses nothing when server writes and CLI writes race', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const token = server.rootToken as string;
    const httpWrites = Array.from({ length: 24 }, (_, i) =>
      api(server.url, token, 'PUT', i % 2 === 0 ? 'secret/data/race' : `secret/data/http-${i}`, { data: { i: String(i) } }),
    );
    const cliWrites = Array.from({ length: 4 }, (_, i) =>
      sandbox.run(['kv', 'put', i % 2 === 0 ? 'secret/race' : `secret/cli-${i}`, `i=cli-${i}`], { env: { SECRETRUN_LOCK_TIMEOUT: '20s' } }),
    );
    const [httpResults, cliResults] = await Promise.all([Promise.all(httpWrites), Promise.all(cliWrites)]);
    for (const result of httpResults) expect(result.status).toBe(200);
    for (const result of cliResults) expectExit(result, 0);
    // 12 HTTP writes and 2 CLI writes went to the same key: every one is a version.
    expect((await api(server.url, token, 'GET', 'secret/metadata/race')).json.data.current_version).toBe(14);
    const keys = new Set((await api(server.url, token, 'LIST', 'secret/metadata/')).json.data.keys as string[]);
    for (let i = 1; i < 24; i += 2) expect(keys.has(`http-${i}`), `http-${i}`).toBe(true);
    expect(keys.has('cli-1') && keys.has('cli-3')).toBe(true);
    expect(keys.size).toBe(12 + 2 + 1);
    const listed = expectExit(await sandbox.run(['kv', 'list', '-format=json', 'secret/']), 0);
    expect(new Set(JSON.parse(listed.stdout) as string[])).toEqual(keys);
    expect(await server.stop()).toBe(0);
  });
});
