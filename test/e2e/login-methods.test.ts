// `secretrun login -method=userpass` and `-method=approle` against `secretrun server`: the
// password asked for on a terminal and never echoed, or read from stdin; the token stored as
// Vault's token helper does; Vault's "Error authenticating" on a refusal, exit 2.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { waitFor } from '../helpers/wait-for.js';
import { cliEntry, createSandbox, expectExit, expectNoSecrets } from './run-cli.js';

let server: ServerProcess;
const rootToken = 'login-e2e-root';
const password = 'ivy-password-6c1d0e';

async function root(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/v1/${path}`, { method, headers: { 'X-Vault-Token': rootToken }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
}

beforeAll(async () => {
  server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${rootToken}`], createSandbox().env);
  await root('POST', 'sys/auth/userpass', { type: 'userpass' });
  await root('POST', 'sys/auth/ci', { type: 'approle' });
  await root('PUT', 'sys/policies/acl/reader', { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' });
  await root('PUT', 'secret/data/app/db', { data: { password: 'db-password-9d' } });
  await root('POST', 'auth/userpass/users/ivy', { password, policies: 'reader' });
  await root('POST', 'auth/ci/role/build', { token_policies: 'reader' });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('login -method=userpass', () => {
  it('asks for the password on a terminal, never echoes it, and stores the token for later commands', async () => {
    const user = createSandbox();
    const command = [process.execPath, cliEntry(), 'login', '-method=userpass', 'username=ivy'].map((word) => `'${word}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: user.dir, env: { ...user.env, VAULT_ADDR: server.url }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    await waitFor('the password prompt', () => output.includes('Password (will be hidden): '));
    child.stdin.write(`${password}\r`);
    expect(await exited).toBe(0);
    expect(output).toContain('Success! You are now authenticated.');
    expect(output).toContain('token_meta_username    ivy');
    expectNoSecrets(output, [password], 'the terminal');
    const stored = readFileSync(join(user.dir, '.vault-token'), 'utf8').trim();
    expect(stored).toMatch(/^hvs\./);
    const env = { VAULT_ADDR: server.url };
    expect(expectExit(await user.run(['kv', 'get', '-field=password', 'secret/app/db'], { env }), 0).stdout).toBe('db-password-9d');
    expect(expectExit(await user.run(['kv', 'put', 'secret/app/db', 'password=x'], { env }), 2).stderr).toContain('Code: 403');
  });

  it('reads password=- from stdin, prints JSON, and refuses a wrong password as Vault does', async () => {
    const user = createSandbox();
    const env = { VAULT_ADDR: server.url };
    const json = JSON.parse(expectExit(await user.run(['login', '-method=userpass', '-no-store', '-format=json', 'username=ivy', 'password=-'], { env, input: password }), 0).stdout);
    expect(json.auth).toMatchObject({ policies: ['default', 'reader'], metadata: { username: 'ivy' } });
    expect(existsSync(join(user.dir, '.vault-token'))).toBe(false);
    const wrong = expectExit(await user.run(['login', '-method=userpass', 'username=ivy', 'password=not-it-4a'], { env }), 2);
    expect(wrong.stderr).toBe(`Error authenticating: Error making API request.\n\nURL: POST ${server.url}/v1/auth/userpass/login/ivy\nCode: 400. Errors:\n\n* invalid username or password\n`);
    const piped = expectExit(await user.run(['login', '-method=userpass', 'username=ivy'], { env }), 2);
    expect(piped.stderr).toContain('standard input is not a terminal');
    expectNoSecrets(`${wrong.stdout}${wrong.stderr}${piped.stderr}`, [password, 'not-it-4a']);
  });
});

describe('login -method=approle', () => {
  it('logs a CI job in at -path with the secret-id from stdin', async () => {
    const user = createSandbox();
    const env = { VAULT_ADDR: server.url };
    const roleId = ((await root('GET', 'auth/ci/role/build/role-id')).data as { role_id: string }).role_id;
    const secretId = ((await root('POST', 'auth/ci/role/build/secret-id', {})).data as { secret_id: string }).secret_id;
    const token = expectExit(await user.run(['login', '-method=approle', '-path=ci', '-token-only', `role_id=${roleId}`, 'secret_id=-'], { env, input: secretId }), 0).stdout;
    expect(token).toMatch(/^hvs\./);
    expect(expectExit(await user.run(['kv', 'get', '-field=password', 'secret/app/db'], { env: { ...env, VAULT_TOKEN: token } }), 0).stdout).toBe('db-password-9d');
    const wrong = expectExit(await user.run(['login', '-method=approle', '-path=ci', `role_id=${roleId}`, 'secret_id=wrong'], { env }), 2);
    expect(wrong.stderr).toContain('* invalid role or secret ID');
  });
});
