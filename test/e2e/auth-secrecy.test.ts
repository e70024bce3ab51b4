// Passwords, secret-ids and role-ids stay secret: never in a command's output, the server's
// log, an error, or the store file — whose decrypted entries are searched too (only a hash or
// an HMAC of a password or secret-id is kept), and never in a storage key name (which the
// store file shows in clear).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file-store.js';
import { statePathOf } from '../../src/store/store-paths.js';
import { startServerProcess } from '../http/server-process.js';
import { createSandbox, expectExit, expectNoSecrets, type CliResult } from './run-cli.js';

const values = {
  cliPassword: 'cli-password-5e0b7c',
  httpPassword: 'http-password-a93d21',
  newPassword: 'new-password-7c44e9',
  wrongPassword: 'wrong-password-1f86ab',
  roleId: 'custom-role-id-3b8d5f',
  secretId: 'custom-secret-id-e2a917',
};
const all = Object.values(values);

async function api(url: string, token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/v1/${path}`, {
    method,
    headers: token === undefined ? {} : { 'X-Vault-Token': token },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() };
}

describe('auth secrets stay secret', () => {
  it('never appear in output, logs, errors or the store file, decrypted or not', async () => {
    const sandbox = createSandbox();
    const outputs: CliResult[] = [];
    const run = async (argv: string[], exit: number, input?: string) => {
      const result = await sandbox.run(argv, input === undefined ? {} : { input });
      outputs.push(expectExit(result, exit));
    };
    await run(['auth', 'enable', 'userpass'], 0);
    await run(['auth', 'enable', 'approle'], 0);
    await run(['write', 'auth/userpass/users/cli-user', `password=${values.cliPassword}`, 'policies=reader'], 0);
    await run(['write', 'auth/userpass/users/stdin-user', 'password=-', 'policies=reader'], 0, values.cliPassword);
    await run(['read', 'auth/userpass/users/cli-user'], 0);
    await run(['read', '-format=json', 'auth/userpass/users/cli-user'], 0);
    await run(['write', 'auth/approle/role/ci', `role_id=${values.roleId}`], 0);
    // The one answer meant to show a secret-id is the one that issues it (Vault's too).
    const issued = expectExit(await sandbox.run(['write', '-field=secret_id_accessor', 'auth/approle/role/ci/custom-secret-id', `secret_id=${values.secretId}`]), 0);
    expect(issued.stdout).toMatch(/^[0-9a-f-]{36}$/);
    await run(['read', 'auth/approle/role/ci'], 0);
    await run(['write', 'auth/userpass/users/typed', '-'], 2, JSON.stringify({ password: { nested: values.cliPassword } }));

    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const root = server.rootToken;
    const answers: string[] = [];
    try {
      for (const [status, token, method, path, body] of [
        [204, root, 'POST', 'auth/userpass/users/http-user', { password: values.httpPassword, policies: 'reader' }],
        [204, root, 'POST', 'auth/userpass/users/http-user/password', { password: values.newPassword }],
        [200, root, 'GET', 'auth/userpass/users/http-user', undefined],
        [200, undefined, 'POST', 'auth/userpass/login/http-user', { password: values.newPassword }],
        [400, undefined, 'POST', 'auth/userpass/login/http-user', { password: values.wrongPassword }],
        [200, undefined, 'POST', 'auth/userpass/login/cli-user', { password: values.cliPassword }],
        [400, undefined, 'POST', 'auth/userpass/login/nobody', { password: values.wrongPassword }],
        [200, undefined, 'POST', 'auth/approle/login', { role_id: values.roleId, secret_id: values.secretId }],
        [400, undefined, 'POST', 'auth/approle/login', { role_id: values.roleId, secret_id: values.wrongPassword }],
        [200, root, 'POST', 'auth/approle/role/ci/secret-id/lookup', { secret_id: values.secretId }],
        [400, root, 'POST', 'auth/userpass/users/bad', { password: { nested: values.httpPassword } }],
      ] as const) {
        const answer = await api(server.url, token, method, path, body);
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(status);
        answers.push(answer.text);
      }
      expect(JSON.parse(answers[3] as string).auth.policies).toEqual(['default', 'reader']);
      expect(JSON.parse(answers[7] as string).auth.metadata).toEqual({ role_name: 'ci' });
    } finally {
      expect(await server.stop()).toBe(0);
    }

    for (const [index, result] of outputs.entries()) expectNoSecrets(`${result.stdout}${result.stderr}`, all, `CLI output ${index}`);
    for (const [index, text] of answers.entries()) expectNoSecrets(text, all, `HTTP answer ${index}`);
    expectNoSecrets(`${server.stdout()}${server.stderr()}`, all, 'the server log');
    expectNoSecrets(readFileSync(sandbox.storePath, 'latin1'), all, 'the store file');
    expectNoSecrets(readFileSync(statePathOf(sandbox.storePath), 'latin1'), all, 'the state file');
    // Decrypted, entry by entry: hashes and HMACs only.
    const store = await openFileStore({ path: sandbox.storePath, env: sandbox.env });
    try {
      const keys = await store.read((storage) => storage.list(''));
      const entries = await store.read((storage) => keys.map((key) => JSON.stringify(storage.get(key))));
      expect(entries.some((entry) => entry.includes('scrypt$'))).toBe(true);
      expect(keys.some((key) => key.startsWith('sys/auth-state/'))).toBe(true);
      expectNoSecrets(keys.join('\n'), all, 'the storage keys');
      // A role's role_id is kept (encrypted) so that role-id can show it; nothing else is.
      expectNoSecrets(entries.join('\n'), all.filter((value) => value !== values.roleId), 'the decrypted store');
    } finally {
      await store.close();
    }
  });
});
