// One store file, several processes: `secretrun server` and the local CLI writing at once.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
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

describe('a root token is never lost', () => {
  it('an address in use fails the first start before any token exists; the next start shows one', async () => {
    const sandbox = createSandbox();
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const failed = await sandbox.run(['server', `-listen-address=127.0.0.1:${port}`]);
      expect(failed.exitCode).not.toBe(0);
      expect(failed.stderr).toContain(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
      expect(failed.stdout).not.toContain('Root Token');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    expect(server.rootToken).toMatch(/^hvs\./);
    expect((await api(server.url, server.rootToken as string, 'GET', 'auth/token/lookup-self')).status).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it('an unwritable -root-token-file fails the start cleanly and stores no token', async () => {
    const sandbox = createSandbox();
    const missingDir = join(sandbox.dir, 'no-such-dir', 'root-token');
    const failed = await sandbox.run(['server', '-listen-address=127.0.0.1:0', `-root-token-file=${missingDir}`]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr.trim()).toBe(`cannot write -root-token-file ${missingDir}: ENOENT (choose a writable path; nothing was stored)`);
    expect(failed.stdout).not.toMatch(/hvs\./);
    // Nothing was committed, so the next start creates (and this time saves) a root token.
    const tokenFile = join(sandbox.dir, 'root-token');
    writeFileSync(tokenFile, 'old\n', { mode: 0o644 });
    const server = await startServerProcess(['-listen-address=127.0.0.1:0', `-root-token-file=${tokenFile}`], sandbox.env, sandbox.dir);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect((await api(server.url, token, 'GET', 'auth/token/lookup-self')).status).toBe(200);
    expect(server.stdout()).not.toContain(token);
    expect(await server.stop()).toBe(0);
  });

  it('operator generate-root makes a new root token for whoever holds the store key', async () => {
    const sandbox = createSandbox();
    const first = await startServerProcess(['-listen-address=127.0.0.1:0', `-root-token-file=${join(sandbox.dir, 'lost')}`], sandbox.env, sandbox.dir);
    expect(await first.stop()).toBe(0);
    const printed = expectExit(await sandbox.run(['operator', 'generate-root']), 0);
    const token = /^Root Token: (hvs\.\S+)\n$/.exec(printed.stdout)?.[1] as string;
    expect(token).toBeDefined();
    const saved = join(sandbox.dir, 'saved-token');
    const written = expectExit(await sandbox.run(['operator', 'generate-root', `-root-token-file=${saved}`]), 0);
    const second = readFileSync(saved, 'utf8').trim();
    expect(written.stdout).not.toContain(second);
    expect(statSync(saved).mode & 0o777).toBe(0o600);
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    expect(server.rootToken).toBeUndefined();
    for (const each of [token, second]) {
      const lookup = await api(server.url, each, 'GET', 'auth/token/lookup-self');
      expect(lookup.status).toBe(200);
      expect(lookup.json.data.policies).toEqual(['root']);
    }
    expect(await server.stop()).toBe(0);
    const wrongKey = await sandbox.run(['operator', 'generate-root'], { env: { SECRETRUN_KEY: Buffer.alloc(32, 1).toString('base64') } });
    expect(wrongKey.exitCode).toBe(3);
    expect(wrongKey.stdout).toBe('');
  });
});
