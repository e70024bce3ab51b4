// The userpass and AppRole login methods of `secretrun login`, run against `secretrun server`
// with the CLI's own remote client, as the login command calls them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginWithApprole } from '../../../src/cli/commands/login-approle.js';
import type { LoginInput } from '../../../src/cli/commands/login-methods.js';
import { loginWithUserpass } from '../../../src/cli/commands/login-userpass.js';
import type { CliIo } from '../../../src/cli/io.js';
import { createRemoteClient } from '../../../src/cli/remote-client.js';
import { processChildIo } from '../../../src/process/child-io.js';
import { isSecretrunError } from '../../../src/errors.js';
import { createSandbox } from '../../e2e/run-cli.js';
import { startServerProcess, type ServerProcess } from '../../http/server-process.js';

let server: ServerProcess;
const rootToken = 'login-root';

function ioWith(options: { tty?: boolean; answer?: string } = {}): CliIo & { asked: string[]; errors: string[] } {
  const asked: string[] = [];
  const errors: string[] = [];
  return {
    asked,
    errors,
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: (text: string) => void errors.push(text), isTTY: false },
    stdinIsTTY: options.tty === true,
    ...(options.answer === undefined ? {} : { promptSecret: async (question: string) => (asked.push(question), options.answer as string) }),
    readStdin: async () => '',
    signals: { subscribe: () => () => undefined },
    env: { VAULT_TOKEN: '' },
    cwd: '/',
    now: Date.now,
    random: Math.random,
    child: processChildIo(),
  };
}

async function input(config: Record<string, string>, mount: string, io = ioWith()): Promise<LoginInput> {
  return { config, mount, client: await createRemoteClient({ address: server.url, namespace: undefined, io }), io, nonInteractive: false };
}

async function root(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/v1/${path}`, { method, headers: { 'X-Vault-Token': rootToken, 'Content-Type': 'application/json' }, ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }) });
  return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
}

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    if (isSecretrunError(error)) return error.message;
    throw error;
  }
  return 'accepted';
}

beforeAll(async () => {
  server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${rootToken}`], createSandbox().env);
  await root('POST', 'sys/auth/userpass', { type: 'userpass' });
  await root('POST', 'sys/auth/ci', { type: 'approle' });
  await root('POST', 'auth/userpass/users/frank', { password: 'frank-pass-1', policies: 'reader' });
  await root('POST', 'auth/ci/role/build', { token_policies: 'reader' });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('login -method=userpass', () => {
  it('logs in with the password given, or asked for on a terminal', async () => {
    const given = await loginWithUserpass(await input({ username: 'frank', password: 'frank-pass-1' }, 'userpass/'));
    expect(given.auth).toMatchObject({ policies: ['default', 'reader'], metadata: { username: 'frank' } });
    const io = ioWith({ tty: true, answer: 'frank-pass-1' });
    const asked = await loginWithUserpass(await input({ username: 'frank' }, 'userpass/', io));
    expect(asked.auth?.['client_token']).toMatch(/^hvs\./);
    expect(io.asked).toEqual(['Password (will be hidden): ']);
  });

  it('refuses without a username, without a terminal to ask on, and with a wrong password', async () => {
    expect(await refusal(loginWithUserpass(await input({ password: 'x' }, 'userpass/')))).toBe("'username' must be specified");
    expect(await refusal(loginWithUserpass(await input({ username: 'frank' }, 'userpass/')))).toContain('standard input is not a terminal');
    const wrong = await refusal(loginWithUserpass(await input({ username: 'frank', password: 'nope-pass' }, 'userpass/')));
    expect(wrong).toContain('Code: 400. Errors:\n\n* invalid username or password');
    expect(wrong).not.toContain('nope-pass');
  });
});

describe('login -method=approle', () => {
  it('logs in with role_id and secret_id at the method path', async () => {
    const roleId = ((await root('GET', 'auth/ci/role/build/role-id')).data as { role_id: string }).role_id;
    const secretId = ((await root('POST', 'auth/ci/role/build/secret-id')).data as { secret_id: string }).secret_id;
    const secret = await loginWithApprole(await input({ role_id: roleId, secret_id: secretId }, 'ci/'));
    expect(secret.auth).toMatchObject({ policies: ['default', 'reader'], metadata: { role_name: 'build' } });
    expect(await refusal(loginWithApprole(await input({ secret_id: secretId }, 'ci/')))).toBe("'role_id' must be specified");
    expect(await refusal(loginWithApprole(await input({ role_id: roleId, secret_id: 'wrong' }, 'ci/')))).toContain('* invalid role or secret ID');
  });
});
