// The CLI in remote mode (VAULT_ADDR) against `secretrun server`: every kv command of the
// seed guide prints exactly what it prints over the local store; plus the remote-only parts
// (token sources, -address, namespace header, Vault's multi-line API errors, TLS, keep-alive).
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../http/server-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { createSandbox, expectExit, maskTimes } from './run-cli.js';

// The kv and secrets commands of seed/vault-kv-guide.txt, in order, with `secretrun` for `vault`.
const guide: string[][] = [
  ['secrets', 'list'],
  ['secrets', 'enable', '-path=secret', 'kv-v2'],
  ['secrets', 'list'],
  ['kv', 'put', 'secret/api-keys/openai', 'api_key=sk-proj-your-openai-key-here', 'organization=your-org-id'],
  ['kv', 'put', 'secret/api-keys/anthropic', 'api_key=your-anthropic-key-here'],
  ['kv', 'put', 'secret/api-keys/github', 'token=ghp_your-github-token', 'username=your-github-username'],
  ['kv', 'put', 'secret/myapp/database', 'username=db_admin', 'password=secure_db_password', 'host=db.example.com', 'port=5432'],
  ['kv', 'put', 'secret/myapp/config', 'app_secret=your-app-secret-key', 'jwt_secret=jwt-signing-key', 'encryption_key=aes-256-key'],
  ['kv', 'put', 'secret/api-keys/stripe', 'api_key=sk_live_your-stripe-key', 'webhook_secret=whsec_webhook-secret', 'created_date=2025-09-25', 'environment=production', 'owner=finance-team'],
  ['kv', 'get', 'secret/api-keys/openai'],
  ['kv', 'get', '-format=json', 'secret/api-keys/openai'],
  ['kv', 'get', '-field=api_key', 'secret/api-keys/openai'],
  ['kv', 'get', '-field=password', 'secret/myapp/database'],
  ['kv', 'list', 'secret/'],
  ['kv', 'list', 'secret/api-keys/'],
  ['kv', 'list', 'secret/myapp/'],
  ['kv', 'metadata', 'get', 'secret/api-keys/openai'],
  ['kv', 'get', '-version=1', 'secret/api-keys/openai'],
  ['kv', 'put', 'secret/api-keys/openai', 'api_key=sk-proj-updated-key', 'organization=new-org-id'],
  ['kv', 'metadata', 'get', 'secret/api-keys/openai'],
  ['kv', 'delete', 'secret/api-keys/old-service'],
  ['kv', 'delete', '-versions=1,2', 'secret/api-keys/openai'],
  ['kv', 'destroy', '-versions=1,2', 'secret/api-keys/openai'],
  ['kv', 'undelete', '-versions=3', 'secret/api-keys/old-service'],
  ['kv', 'patch', 'secret/api-keys/stripe', 'api_key=sk_live_new-stripe-key'],
  ['kv', 'patch', 'secret/myapp/config', 'redis_url=redis://cache.example.com:6379'],
  ['kv', 'get', '-format=json', 'secret/myapp/config'],
  ['kv', 'metadata', 'get', '-format=yaml', 'secret/api-keys/openai'],
  ['kv', 'get', 'secret/nothing/here'],
  ['kv', 'rollback', '-version=1', 'secret/api-keys/stripe'],
  ['kv', 'metadata', 'put', '-max-versions=5', '-custom-metadata=owner=ops', 'secret/api-keys/stripe'],
  ['kv', 'metadata', 'patch', '-custom-metadata=team=a', 'secret/api-keys/stripe'],
  ['kv', 'get', '-mount=secret', 'api-keys/stripe'],
  ['kv', 'metadata', 'delete', 'secret/api-keys/github'],
  ['kv', 'list', '-format=json', 'secret/api-keys'],
];

// Replaces what differs between two runs by nature: times and request ids.
function normalize(text: string): string {
  return maskTimes(text).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID');
}

describe('the CLI against secretrun server', () => {
  it('prints for every seed-guide command exactly what it prints over the local store', async () => {
    const local = createSandbox();
    const remote = createSandbox();
    // The dev server logs the CLI in through ~/.vault-token (remote.dir is the CLI's HOME too).
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0'], remote.env);
    expectExit(await local.run(['init']), 0);
    const succeeded: string[] = [];
    for (const argv of guide) {
      const here = await local.run(argv);
      const there = await remote.run(argv, { env: { VAULT_ADDR: server.url } });
      const label = argv.join(' ');
      expect(there.exitCode, `${label}: ${there.stderr}`).toBe(here.exitCode);
      expect(normalize(there.stdout), label).toBe(normalize(here.stdout));
      if (here.exitCode === 0) expect(normalize(there.stderr), label).toBe(normalize(here.stderr));
      if (there.exitCode === 0) succeeded.push(label);
      if (label === 'kv get -field=password secret/myapp/database') expect(there.stdout).toBe('secure_db_password');
    }
    // Only enabling the existing secret/ mount and reading a missing key fail, as with vault.
    expect(guide.length - succeeded.length).toBe(2);
    expect(await server.stop()).toBe(0);
  });

  it('uses VAULT_TOKEN before ~/.vault-token, -address before VAULT_ADDR, and prints Vault\'s API errors', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=real'], { ...sandbox.env, HOME: makeTempDir() });
    writeFileSync(join(sandbox.dir, '.vault-token'), 'real\n');
    expectExit(await sandbox.run(['kv', 'put', `-address=${server.url}`, 'secret/t', 'a=b'], { env: { VAULT_ADDR: 'http://127.0.0.1:1' } }), 0);
    const denied = await sandbox.run(['kv', 'get', 'secret/t'], { env: { VAULT_ADDR: server.url, VAULT_TOKEN: 'wrong' } });
    expect(denied.exitCode).toBe(2);
    expect(denied.stderr).toContain(
      `Error making API request.\n\nURL: GET ${server.url}/v1/sys/internal/ui/mounts/secret/t\nCode: 403. Errors:\n\n* permission denied\n`,
    );
    const unreachable = await sandbox.run(['kv', 'get', 'secret/t'], { env: { VAULT_ADDR: 'http://127.0.0.1:1' } });
    expect(unreachable.exitCode).toBe(2);
    expect(unreachable.stderr).toContain('Error making API request to http://127.0.0.1:1: connect ECONNREFUSED');
    expect(await server.stop()).toBe(0);
  });

  it('prints Vault\'s API error for a patch of a missing key, as the vault CLI does', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=patch-root'], { ...sandbox.env, HOME: makeTempDir() });
    const env = { VAULT_ADDR: server.url, VAULT_TOKEN: 'patch-root' };
    const patched = await sandbox.run(['kv', 'patch', 'secret/ghost', 'a=b'], { env });
    expect(patched.exitCode).toBe(2);
    expect(patched.stdout).toBe('');
    expect(patched.stderr).toBe(
      `Error writing data to secret/data/ghost: Error making API request.\n\nURL: PATCH ${server.url}/v1/secret/data/ghost\nCode: 404. Raw Message:\n\n\n`,
    );
    const metadata = await sandbox.run(['kv', 'metadata', 'patch', '-max-versions=3', 'secret/ghost'], { env });
    expect(metadata.exitCode).toBe(2);
    expect(metadata.stderr).toBe(
      `Error writing data to secret/metadata/ghost: Error making API request.\n\nURL: PATCH ${server.url}/v1/secret/metadata/ghost\nCode: 404. Raw Message:\n\n\n`,
    );
    // A latest version that is deleted: the 404 carries its metadata, still an API error.
    expectExit(await sandbox.run(['kv', 'put', 'secret/gone', 'a=b'], { env }), 0);
    expectExit(await sandbox.run(['kv', 'delete', 'secret/gone'], { env }), 0);
    const gone = await sandbox.run(['kv', 'patch', 'secret/gone', 'a=c'], { env });
    expect(gone.exitCode).toBe(2);
    expect(gone.stderr).toContain(`Error writing data to secret/data/gone: Error making API request.\n\nURL: PATCH ${server.url}/v1/secret/data/gone\nCode: 404. Errors:\n`);
    // Over the local store there is no request to show: the message says what is missing.
    const local = createSandbox();
    const missing = await local.run(['kv', 'patch', 'secret/ghost', 'a=b']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('No value found at secret/data/ghost');
    expect(await server.stop()).toBe(0);
  });

  it('prints Vault\'s warning for unrecognized parameters of a write, locally and against the server', async () => {
    const local = createSandbox();
    const remote = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=warn-root'], { ...remote.env, HOME: makeTempDir() });
    const input = JSON.stringify({ data: { a: 'b' }, junk: 1, alpha: 2 });
    const expected = 'WARNING! The following warnings were returned from Vault:\n\n  * Endpoint ignored these unrecognized parameters: [alpha junk]\n\n';
    const here = expectExit(await local.run(['write', 'secret/data/w', '-'], { input }), 0);
    const there = expectExit(await remote.run(['write', 'secret/data/w', '-'], { input, env: { VAULT_ADDR: server.url, VAULT_TOKEN: 'warn-root' } }), 0);
    for (const result of [here, there]) {
      expect(result.stderr.replace(/^secretrun: created store .*\n/, '')).toBe(expected);
      expect(result.stdout).toMatch(/^Key\s+Value\n/);
    }
    expect(maskTimes(there.stdout)).toBe(maskTimes(here.stdout));
    const json = JSON.parse(expectExit(await remote.run(['write', '-format=json', 'secret/data/w', '-'], { input, env: { VAULT_ADDR: server.url, VAULT_TOKEN: 'warn-root' } }), 0).stdout);
    expect(json.warnings).toEqual(['Endpoint ignored these unrecognized parameters: [alpha junk]']);
    expect(await server.stop()).toBe(0);
  });

  it('sends VAULT_NAMESPACE and keeps one connection alive across a command\'s requests', async () => {
    const seen: Array<{ url: string; headers: IncomingHttpHeaders; socket: number }> = [];
    const sockets = new Map<object, number>();
    const fake = createServer((request, response) => {
      if (!sockets.has(request.socket)) sockets.set(request.socket, sockets.size + 1);
      seen.push({ url: request.url ?? '', headers: request.headers, socket: sockets.get(request.socket) ?? 0 });
      response.setHeader('Content-Type', 'application/json');
      if ((request.url ?? '').startsWith('/v1/sys/internal/ui/mounts/')) {
        response.end(JSON.stringify({ data: { path: 'secret/', type: 'kv', options: { version: '2' } } }));
        return;
      }
      response.end(
        JSON.stringify({
          request_id: 'r',
          data: { data: { a: 'b' }, metadata: { created_time: '2024-01-01T00:00:00Z', custom_metadata: null, deletion_time: '', destroyed: false, version: 1 } },
        }),
      );
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const address = fake.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const sandbox = createSandbox();
      const result = await sandbox.run(['kv', 'get', '-field=a', 'secret/x'], { env: { VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: 't', VAULT_NAMESPACE: 'team-a' } });
      expect(expectExit(result, 0).stdout).toBe('b');
      expect(seen.map((r) => r.url)).toEqual(['/v1/sys/internal/ui/mounts/secret/x', '/v1/secret/data/x']);
      for (const request of seen) expect(request.headers).toMatchObject({ 'x-vault-namespace': 'team-a', 'x-vault-token': 't', 'x-vault-request': 'true' });
      expect(new Set(seen.map((r) => r.socket))).toEqual(new Set([1]));
    } finally {
      fake.closeAllConnections();
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  it('speaks TLS with VAULT_CACERT, VAULT_CAPATH or VAULT_SKIP_VERIFY, and refuses an unknown certificate otherwise', async () => {
    const sandbox = createSandbox();
    const certFile = join(sandbox.dir, 'cert.pem');
    const keyFile = join(sandbox.dir, 'key.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
    const server = await startServerProcess(
      ['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=tls-root', `-tls-cert-file=${certFile}`, `-tls-key-file=${keyFile}`],
      { ...sandbox.env, HOME: makeTempDir() },
    );
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const env = { VAULT_ADDR: server.url, VAULT_TOKEN: 'tls-root' };
    expectExit(await sandbox.run(['kv', 'put', 'secret/tls', 'a=b'], { env: { ...env, VAULT_CACERT: certFile } }), 0);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=a', 'secret/tls'], { env: { ...env, VAULT_SKIP_VERIFY: 'true' } }), 0).stdout).toBe('b');
    const refused = await sandbox.run(['kv', 'get', 'secret/tls'], { env });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/self[- ]signed certificate/);
    // VAULT_CAPATH: a directory of CA files; one holding the server's certificate is trusted,
    // one holding only an unrelated CA is not, and VAULT_CACERT wins when both are set.
    const trusted = join(sandbox.dir, 'capath-trusted');
    const unrelated = join(sandbox.dir, 'capath-unrelated');
    mkdirSync(trusted);
    mkdirSync(unrelated);
    copyFileSync(certFile, join(trusted, 'server.pem'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(unrelated, 'key'), '-out', join(unrelated, 'other.pem'), '-days', '1', '-subj', '/CN=other'],
      { stdio: 'ignore' },
    );
    rmSync(join(unrelated, 'key'));
    copyFileSync(join(unrelated, 'other.pem'), join(trusted, 'other.pem'));
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=a', 'secret/tls'], { env: { ...env, VAULT_CAPATH: trusted } }), 0).stdout).toBe('b');
    const untrusted = await sandbox.run(['kv', 'get', 'secret/tls'], { env: { ...env, VAULT_CAPATH: unrelated } });
    expect(untrusted.exitCode).toBe(2);
    expect(untrusted.stderr).toMatch(/self[- ]signed certificate/);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=a', 'secret/tls'], { env: { ...env, VAULT_CACERT: certFile, VAULT_CAPATH: unrelated } }), 0).stdout).toBe('b');
    expect(await server.stop()).toBe(0);
  });
});
