import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { captureOutput } from '../helpers/captured-output.js';
import { waitFor } from '../helpers/wait-for.js';
import { cliEntry, createSandbox } from './run-cli.js';

const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

async function putSecret(server: ServerProcess, path: string, data: Record<string, string>): Promise<void> {
  const response = await fetch(`${server.url}/v1/secret/data/${path}`, {
    method: 'PUT',
    headers: { 'X-Vault-Token': server.rootToken ?? '', 'Content-Type': 'application/json' },
    body: JSON.stringify({ data }),
  });
  expect(response.status).toBe(200);
}

describe('the runner against a Vault-compatible server', () => {
  it('injects secrets read over HTTP, strips the token, and restarts on a change made through the API', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-dev'], sandbox.env, sandbox.dir);
    servers.push(server);
    await putSecret(server, 'myapp/database', { password: 'remote-pass-1' });
    writeFileSync(
      join(sandbox.dir, 'secretrun.yaml'),
      `source: { address: "${server.url}", poll_interval: 200ms }\nmask: false\ndebounce: 0s\nenv:\n  DB_PASSWORD: secret/myapp/database#password\n`,
    );
    const env = { ...sandbox.env, VAULT_TOKEN: server.rootToken ?? '', SECRETRUN_ALLOWED_ADDRESSES: server.url };
    const script = 'echo "ready $DB_PASSWORD token=${VAULT_TOKEN:-none}"; exec sleep 600';
    const runner = spawn(process.execPath, [cliEntry(), 'run', '--', 'sh', '-c', script], { cwd: sandbox.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const { stdout, stderr, exited } = captureOutput(runner);
    try {
      await waitFor('the first child', () => stdout().includes('ready remote-pass-1 token=none'));
      await putSecret(server, 'myapp/database', { password: 'remote-pass-2' });
      await waitFor('the restarted child', () => stdout().includes('ready remote-pass-2 token=none'));
      expect(stderr()).toContain('secretrun: DB_PASSWORD changed, restarting');
      expect(stderr()).not.toContain('remote-pass');
    } finally {
      runner.kill('SIGTERM');
    }
    expect((await exited).code).toBe(143);
  });
});
