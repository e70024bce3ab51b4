// SIGUSR1 makes Node open its inspector, through which anyone on the machine could read the
// process's environment (VAULT_TOKEN, SECRETRUN_KEY). Every secretrun command must ignore it,
// and the runner must pass it on to its command once there is one.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { captureOutput, type CapturedOutput } from '../helpers/captured-output.js';
import { waitFor } from '../helpers/wait-for.js';
import { cliEntry, createSandbox } from './run-cli.js';

const trapSignals = fileURLToPath(new URL('../fixtures/runner/trap-signals.mjs', import.meta.url));
// What Node prints when SIGUSR1 started its inspector (or tried to, when the port was taken).
const inspectorLine = /Debugger listening|Starting inspector/;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// A Vault-compatible server that holds every request until released, so a command is caught
// while it waits for its secrets. Answers as a KV v1 server with one secret, `secret/app`.
async function heldServer(): Promise<{ url: string; requests: () => number; release: () => void }> {
  let requests = 0;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server: Server = createServer((request, response) => {
    requests += 1;
    void released.then(() => {
      const found = request.url === '/v1/secret/app';
      response.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(found ? { data: { token: 'held-value-1234' } } : { errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    release();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, release };
}

// Starts the built CLI with piped output, killed after the test if it is still running.
function startCli(args: readonly string[], env: Record<string, string>, cwd: string): CapturedOutput & { kill: (signal: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [cliEntry(), ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { ...captureOutput(child), kill: (signal) => child.kill(signal) };
}

describe('SIGUSR1', () => {
  it('does not open an inspector in a running server, which keeps serving', async () => {
    const sandbox = createSandbox();
    const server: ServerProcess = await startServerProcess(['-dev'], sandbox.env, sandbox.dir);
    cleanups.push(() => server.stop('SIGKILL'));
    server.child.kill('SIGUSR1');
    // Two round trips after the signal: Node starts its inspector as soon as the main thread
    // runs again, so by now it would have printed where it listens.
    for (let i = 0; i < 2; i += 1) expect((await fetch(`${server.url}/v1/sys/health`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
    expect(server.stderr()).not.toMatch(inspectorLine);
  });

  it('does not open an inspector in kv while it waits for the server', async () => {
    const held = await heldServer();
    const sandbox = createSandbox();
    const kv = startCli(['kv', 'get', '-field=token', 'secret/app'], { ...sandbox.env, VAULT_ADDR: held.url, VAULT_TOKEN: 'root' }, sandbox.dir);
    await waitFor('kv to ask the server', () => held.requests() > 0);
    kv.kill('SIGUSR1');
    held.release();
    expect((await kv.exited).code).toBe(0);
    expect(kv.stdout()).toBe('held-value-1234');
    expect(kv.stderr()).not.toMatch(inspectorLine);
  });

  it('is ignored by the runner while it resolves, and passed on to the command once it runs', async () => {
    const held = await heldServer();
    const sandbox = createSandbox();
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'mask: false\nenv:\n  TOKEN: secret/app#token\n');
    const env = { ...sandbox.env, VAULT_ADDR: held.url, VAULT_TOKEN: 'root' };
    const run = startCli(['run', '--', process.execPath, trapSignals], env, sandbox.dir);
    await waitFor('the runner to ask the server', () => held.requests() > 0);
    run.kill('SIGUSR1');
    held.release();
    await waitFor('the command to start', () => run.stdout().includes('ready'));
    run.kill('SIGUSR1');
    await waitFor('the command to get SIGUSR1', () => run.stdout().includes('got SIGUSR1'));
    run.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    // Once, from the second signal: the first came before there was a command.
    expect(run.stdout().match(/got SIGUSR1/g)).toHaveLength(1);
    expect(run.stderr()).not.toMatch(inspectorLine);
  });
});
