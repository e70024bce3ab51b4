// The runner's AppRole client (source.auth: approle) against `secretrun server`'s AppRole
// method: a CI job logs in with a role_id and a secret-id, reads only what its role's policy
// grants, and keeps working past its token's TTL (renewing it, then logging in again).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { captureOutput } from '../helpers/captured-output.js';
import { waitFor } from '../helpers/wait-for.js';
import { cliEntry, createSandbox, expectExit, expectNoSecrets } from './run-cli.js';

const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

async function api(server: ServerProcess, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': server.rootToken ?? '' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
}

// A CI role reading secret/ci/* (data only, as the guide's policy does), and its credentials.
async function setUpRole(server: ServerProcess, tokenTtl: string, tokenMaxTtl: string): Promise<{ roleId: string; secretId: string }> {
  await api(server, 'POST', 'sys/auth/approle', { type: 'approle' });
  await api(server, 'PUT', 'sys/policies/acl/ci-reader', { policy: 'path "secret/data/ci/*" { capabilities = ["read"] }' });
  await api(server, 'POST', 'auth/approle/role/ci', { token_policies: 'ci-reader', token_ttl: tokenTtl, token_max_ttl: tokenMaxTtl });
  await api(server, 'PUT', 'secret/data/ci/deploy', { data: { key: 'deploy-key-1' } });
  await api(server, 'PUT', 'secret/data/other/admin', { data: { key: 'admin-key-1' } });
  const roleId = ((await api(server, 'GET', 'auth/approle/role/ci/role-id')).data as { role_id: string }).role_id;
  const secretId = ((await api(server, 'POST', 'auth/approle/role/ci/secret-id', {})).data as { secret_id: string }).secret_id;
  return { roleId, secretId };
}

describe('the runner with source.auth: approle', () => {
  it('logs in once, injects what the role may read, and is refused the rest', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0'], createSandbox().env);
    servers.push(server);
    const { roleId, secretId } = await setUpRole(server, '1m', '0');
    const env = { VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId, SECRETRUN_ALLOWED_ADDRESSES: server.url };
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), `source: { address: "${server.url}", auth: { method: approle } }\nmask: false\nenv:\n  DEPLOY_KEY: secret/ci/deploy#key\n`);
    // The secret-id is the runner's credential: the command never sees it.
    const ran = expectExit(await sandbox.run(['run', '--once', '--', 'sh', '-c', 'echo "key=$DEPLOY_KEY secret=${VAULT_SECRET_ID:-none}"'], { env }), 0);
    expect(ran.stdout).toBe('key=deploy-key-1 secret=none\n');

    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), `source: { address: "${server.url}", auth: { method: approle } }\nenv:\n  ADMIN_KEY: secret/other/admin#key\n`);
    const refused = await sandbox.run(['run', '--once', '--', 'true'], { env });
    expect(refused.exitCode).toBe(7);
    expect(refused.stderr).toContain('ADMIN_KEY');
    expect(refused.stderr).toContain('permission denied');
    expectNoSecrets(`${refused.stdout}${refused.stderr}`, ['admin-key-1', secretId]);

    const wrong = await sandbox.run(['run', '--once', '--', 'true'], { env: { ...env, VAULT_SECRET_ID: 'not-the-secret-id' } });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toContain('AppRole login at auth/approle/login failed with status 400: invalid role or secret ID');
  });

  it('keeps watching past the token TTL and its max TTL, renewing and logging in again', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0'], createSandbox().env);
    servers.push(server);
    const { roleId, secretId } = await setUpRole(server, '1s', '3s');
    writeFileSync(
      join(sandbox.dir, 'secretrun.yaml'),
      `source: { address: "${server.url}", poll_interval: 200ms, auth: { method: approle } }\nmask: false\ndebounce: 0s\nenv:\n  DEPLOY_KEY: secret/ci/deploy#key\n`,
    );
    const runner = spawn(process.execPath, [cliEntry(), 'run', '--', 'sh', '-c', 'echo "ready $DEPLOY_KEY"; exec sleep 600'], {
      cwd: sandbox.dir,
      env: { ...sandbox.env, VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId, SECRETRUN_ALLOWED_ADDRESSES: server.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { stdout, stderr, exited } = captureOutput(runner);
    try {
      await waitFor('the first child', () => stdout().includes('ready deploy-key-1'));
      const started = Date.now();
      // Changes keep arriving until well past the token's max TTL (3 s): each is seen only if the
      // runner still holds a working token.
      for (let version = 2; Date.now() - started < 7_000; version++) {
        await api(server, 'PUT', 'secret/data/ci/deploy', { data: { key: `deploy-key-${version}` } });
        await waitFor(`the child restarted with version ${version}`, () => stdout().includes(`ready deploy-key-${version}`)).catch((error: unknown) => {
          throw new Error(`${String(error)}; runner stderr: ${stderr()}`);
        });
      }
      // On a loaded machine a poll may still meet a token that expired before its renewal ran;
      // the runner then reports the source unavailable and recovers by logging in again.
      const lines = stderr().split('\n');
      const lost = lines.findIndex((line) => line.includes('source unavailable'));
      if (lost !== -1) expect(lines.slice(lost)).toContain('secretrun: source available again');
    } finally {
      runner.kill('SIGTERM');
    }
    expect((await exited).code).toBe(143);
  }, 60_000);
});
