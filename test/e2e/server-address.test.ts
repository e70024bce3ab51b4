// A token goes only to a server the user chose: a secretrun.yaml from a repository cannot
// redirect it (hostile pull request), and plain http is refused beyond loopback unless the
// user opts in. The "other server" here is a plain HTTP listener that records every request.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { createSandbox, expectExit, type CliSandbox } from './run-cli.js';

const token = 'hvs.test-token-7Qx2RkP9vM3n';
const servers: ServerProcess[] = [];
const recorders: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const recorder of recorders.splice(0)) await new Promise((done) => recorder.close(done));
});

// A listener that answers 503 and keeps the headers of every request it got.
async function startRecorder(): Promise<{ url: string; port: number; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const recorder = createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    response.writeHead(503, { 'Content-Type': 'application/json' }).end('{"errors":["recorder"]}');
  });
  recorders.push(recorder);
  await new Promise<void>((listening) => recorder.listen(0, '127.0.0.1', listening));
  const { port } = recorder.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, seen };
}

async function startVault(sandbox: CliSandbox): Promise<ServerProcess> {
  const server = await startServerProcess(['-dev'], sandbox.env, sandbox.dir);
  servers.push(server);
  const response = await fetch(`${server.url}/v1/secret/data/app`, {
    method: 'PUT',
    headers: { 'X-Vault-Token': server.rootToken ?? '', 'Content-Type': 'application/json' },
    body: JSON.stringify({ data: { password: 'from-the-chosen-server' } }),
  });
  expect(response.status).toBe(200);
  return server;
}

function writeManifest(sandbox: CliSandbox, address: string): void {
  writeFileSync(join(sandbox.dir, 'secretrun.yaml'), `source: { address: "${address}" }\nmask: false\nenv:\n  PASSWORD: secret/app#password\n`);
}

const printPassword = ['run', '--once', '--', 'sh', '-c', 'echo "got $PASSWORD"'];

describe('the server a manifest names', () => {
  it('is refused, with nothing sent, unless the user allowed it', async () => {
    const sandbox = createSandbox();
    const other = await startRecorder();
    writeManifest(sandbox, other.url);
    const result = await sandbox.run(printPassword, { env: { VAULT_TOKEN: token } });
    expectExit(result, 9);
    expect(result.stderr).toContain(`names the server ${other.url} (source.address), which you have not allowed`);
    expect(result.stderr).toContain('SECRETRUN_ALLOWED_ADDRESSES');
    expect(result.stderr).not.toContain(token);
    expect(other.seen).toHaveLength(0);
  });

  it('is used when listed in SECRETRUN_ALLOWED_ADDRESSES', async () => {
    const sandbox = createSandbox();
    const server = await startVault(sandbox);
    writeManifest(sandbox, server.url);
    const result = await sandbox.run(printPassword, { env: { VAULT_TOKEN: server.rootToken ?? '', SECRETRUN_ALLOWED_ADDRESSES: `https://elsewhere.example, ${server.url}/` } });
    expectExit(result, 0);
    expect(result.stdout).toBe('got from-the-chosen-server\n');
  });

  it('gives way to VAULT_ADDR, which receives the token instead', async () => {
    const sandbox = createSandbox();
    const server = await startVault(sandbox);
    const other = await startRecorder();
    writeManifest(sandbox, other.url);
    const result = await sandbox.run(printPassword, { env: { VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken ?? '', SECRETRUN_ALLOWED_ADDRESSES: other.url } });
    expectExit(result, 0);
    expect(result.stdout).toBe('got from-the-chosen-server\n');
    expect(result.stderr).toBe(`secretrun: using VAULT_ADDR (${server.url}), not source.address (${other.url}) of secretrun.yaml\n`);
    expect(other.seen).toHaveLength(0);
  });

  it('refuses a malformed SECRETRUN_ALLOWED_ADDRESSES entry in one line', async () => {
    const sandbox = createSandbox();
    writeManifest(sandbox, 'https://vault.example.com:8200');
    const result = await sandbox.run(printPassword, { env: { VAULT_TOKEN: token, SECRETRUN_ALLOWED_ADDRESSES: 'vault.example.com' } });
    expectExit(result, 1);
    expect(result.stderr).toContain('SECRETRUN_ALLOWED_ADDRESSES: "vault.example.com" is not an http(s) URL');
  });
});

describe('plain http', () => {
  // 0.0.0.0 as a destination reaches this machine on Linux, yet is not a loopback name: it
  // stands for any address beyond loopback without needing a second host.
  it('is refused beyond loopback before anything is sent, by the CLI and the runner alike', async () => {
    const sandbox = createSandbox();
    const other = await startRecorder();
    const address = `http://0.0.0.0:${other.port}`;
    const get = await sandbox.run(['kv', 'get', 'secret/app'], { env: { VAULT_ADDR: address, VAULT_TOKEN: token } });
    expectExit(get, 9);
    expect(get.stderr).toContain(`refusing to send a token over plain http to 0.0.0.0:${other.port}`);
    expect(get.stderr).toContain('SECRETRUN_ALLOW_HTTP=1');
    writeManifest(sandbox, 'https://unused.example');
    const run = await sandbox.run(printPassword, { env: { VAULT_ADDR: address, VAULT_TOKEN: token } });
    expectExit(run, 9);
    expect(`${get.stderr}${run.stderr}`).not.toContain(token);
    expect(other.seen).toHaveLength(0);
  });

  it('is used beyond loopback when the user sets SECRETRUN_ALLOW_HTTP=1', async () => {
    const sandbox = createSandbox();
    const other = await startRecorder();
    const get = await sandbox.run(['kv', 'get', 'secret/app'], { env: { VAULT_ADDR: `http://0.0.0.0:${other.port}`, VAULT_TOKEN: token, SECRETRUN_ALLOW_HTTP: '1' } });
    expectExit(get, 2);
    expect(other.seen.length).toBeGreaterThan(0);
  });
});
