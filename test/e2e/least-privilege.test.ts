// The security section of seed/vault-kv-guide.txt with `secretrun` for `vault`: the
// myapp-policy written with the guide's heredoc, the userpass user it is applied to, and that
// user's token against `secretrun server` over the same store — through the CLI and through
// node-vault. Configured locally (holding the key is root), enforced by the server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import vault from 'node-vault';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../http/server-process.js';
import { createSandbox, expectExit, expectNoSecrets, type CliSandbox } from './run-cli.js';

// The guide's commands, verbatim but for the program's name (Access Control, lines 214-226).
const guideSecurity = `secretrun policy write myapp-policy - <<EOF
path "secret/data/myapp/*" {
capabilities = ["read"]
}
path "secret/data/api-keys/openai" {
capabilities = ["read"]
}
EOF
# Apply policy to authentication method
secretrun write auth/userpass/users/myapp-user \\
password="secure-password" \\
policies="myapp-policy"
`;

async function shell(sandbox: CliSandbox, script: string, env: Record<string, string> = {}) {
  const result = await execa('sh', ['-ec', script], {
    cwd: sandbox.dir,
    env: { ...sandbox.env, PATH: `${sandbox.binDir()}:${sandbox.env['PATH']}`, ...env },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
  });
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
}

const secrets = ['sk-proj-your-openai-key-here', 'your-anthropic-key-here', 'secure_db_password', 'jwt-signing-key'];

// `secretrun login -method=userpass` against the server, without storing the token: the token.
async function loginAs(sandbox: CliSandbox, url: string, username: string, password: string): Promise<string> {
  return expectExit(await sandbox.run(['login', '-method=userpass', '-token-only', `username=${username}`, `password=${password}`], { env: { VAULT_ADDR: url } }), 0).stdout;
}

async function setUpGuide(sandbox: CliSandbox): Promise<void> {
  for (const argv of [
    ['kv', 'put', 'secret/api-keys/openai', 'api_key=sk-proj-your-openai-key-here', 'organization=your-org-id'],
    ['kv', 'put', 'secret/api-keys/anthropic', 'api_key=your-anthropic-key-here'],
    ['kv', 'put', 'secret/myapp/database', 'username=db_admin', 'password=secure_db_password', 'host=db.example.com', 'port=5432'],
    ['kv', 'put', 'secret/myapp/config', 'app_secret=your-app-secret-key', 'jwt_secret=jwt-signing-key'],
    // The guide assumes userpass is enabled (with vault, the write below fails without it).
    ['auth', 'enable', 'userpass'],
  ]) {
    expectExit(await sandbox.run(argv), 0);
  }
  const written = await shell(sandbox, guideSecurity);
  expect(written.stderr).toBe('');
  expect(written.stdout).toBe('Success! Uploaded policy: myapp-policy\nSuccess! Data written to: auth/userpass/users/myapp-user\n');
}

describe("the guide's least privilege", () => {
  it('lets myapp-user read secret/myapp/* and the openai key, and nothing else, through the CLI and node-vault', async () => {
    const sandbox = createSandbox();
    await setUpGuide(sandbox);
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    try {
      // Log in as the guide's user; later commands find the token where the vault CLI keeps it.
      const login = expectExit(await sandbox.run(['login', '-method=userpass', 'username=myapp-user', 'password=secure-password'], { env: { VAULT_ADDR: server.url } }), 0);
      expect(login.stdout).toContain('policies               ["default" "myapp-policy"]');
      const token = readFileSync(join(sandbox.dir, '.vault-token'), 'utf8').trim();
      const as = { env: { VAULT_ADDR: server.url } };

      // Reads the policy grants.
      expect(expectExit(await sandbox.run(['kv', 'get', '-field=password', 'secret/myapp/database'], as), 0).stdout).toBe('secure_db_password');
      expect(expectExit(await sandbox.run(['kv', 'get', '-field=jwt_secret', 'secret/myapp/config'], as), 0).stdout).toBe('jwt-signing-key');
      expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/api-keys/openai'], as), 0).stdout).toBe('sk-proj-your-openai-key-here');

      // Everything else: 403 from the API, exit 2, and no value anywhere.
      const refused = [
        ['kv', 'get', 'secret/api-keys/anthropic'],
        ['kv', 'get', 'secret/api-keys/github'],
        ['kv', 'put', 'secret/myapp/database', 'password=stolen'],
        ['kv', 'put', 'secret/myapp/new', 'a=b'],
        ['kv', 'put', 'secret/api-keys/openai', 'api_key=stolen'],
        ['kv', 'patch', 'secret/myapp/config', 'jwt_secret=stolen'],
        ['kv', 'delete', 'secret/myapp/config'],
        ['kv', 'metadata', 'delete', 'secret/myapp/config'],
        ['kv', 'list', 'secret/myapp'],
        ['policy', 'write', 'myapp-policy', '-'],
        ['write', 'auth/userpass/users/myapp-user', 'policies=root'],
      ];
      for (const argv of refused) {
        const result = await sandbox.run(argv, { ...as, input: 'path "secret/*" { capabilities = ["read"] }' });
        expect(result.exitCode, argv.join(' ')).toBe(2);
        expect(result.stderr, argv.join(' ')).toContain('Code: 403. Errors:\n\n* 1 error occurred:\n\t* permission denied\n');
        expectNoSecrets(`${result.stdout}${result.stderr}`, secrets, argv.join(' '));
      }
      const anthropic = await sandbox.run(['kv', 'get', 'secret/api-keys/anthropic'], as);
      expect(anthropic.stderr).toBe(
        `Error reading secret/data/api-keys/anthropic: Error making API request.\n\nURL: GET ${server.url}/v1/secret/data/api-keys/anthropic\nCode: 403. Errors:\n\n* 1 error occurred:\n\t* permission denied\n\n\n`,
      );

      // A user holding no policy but default does not even pass the preflight of secret/.
      expectExit(await sandbox.run(['write', 'auth/userpass/users/nobody', 'password=nobody-pass'], { env: { VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken ?? '' } }), 0);
      const nobody = await loginAs(sandbox, server.url, 'nobody', 'nobody-pass');
      const preflight = await sandbox.run(['kv', 'get', 'secret/myapp/database'], { env: { VAULT_ADDR: server.url, VAULT_TOKEN: nobody } });
      expect(preflight.exitCode).toBe(2);
      expect(preflight.stderr).toContain(
        `URL: GET ${server.url}/v1/sys/internal/ui/mounts/secret/myapp/database\nCode: 403. Errors:\n\n* preflight capability check returned 403, please ensure client's policies grant access to path "secret/myapp/database/"\n`,
      );

      // node-vault with the same token sees the same answers over HTTP.
      const client = vault({ endpoint: server.url, token });
      expect(((await client.read('secret/data/myapp/database')) as { data: { data: Record<string, string> } }).data.data['password']).toBe('secure_db_password');
      expect(((await client.read('secret/data/api-keys/openai')) as { data: { data: Record<string, string> } }).data.data['api_key']).toBe('sk-proj-your-openai-key-here');
      for (const attempt of [
        () => client.read('secret/data/api-keys/anthropic'),
        () => client.write('secret/data/myapp/database', { data: { password: 'stolen' } }),
        () => client.write('secret/data/api-keys/openai', { data: { api_key: 'stolen' } }),
        () => client.delete('secret/data/myapp/config'),
        () => client.list('secret/metadata/myapp'),
      ]) {
        await expect(attempt()).rejects.toMatchObject({ response: { statusCode: 403, body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } } });
      }

      // Nothing was changed by the refused writes; the local CLI holds the key and is root.
      expect(expectExit(await sandbox.run(['kv', 'get', '-field=password', 'secret/myapp/database']), 0).stdout).toBe('secure_db_password');
      expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/api-keys/anthropic']), 0).stdout).toBe('your-anthropic-key-here');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('enforces a policy change made locally on the running server at the next request', async () => {
    const sandbox = createSandbox();
    await setUpGuide(sandbox);
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    try {
      const as = { env: { VAULT_ADDR: server.url, VAULT_TOKEN: await loginAs(sandbox, server.url, 'myapp-user', 'secure-password') } };
      expect((await sandbox.run(['kv', 'get', 'secret/api-keys/anthropic'], as)).exitCode).toBe(2);
      const widened = await shell(sandbox, `secretrun policy write myapp-policy - <<EOF
path "secret/data/myapp/*" { capabilities = ["read"] }
path "secret/data/api-keys/*" { capabilities = ["read"] }
EOF
`);
      expectExit(widened, 0);
      expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/api-keys/anthropic'], as), 0).stdout).toBe('your-anthropic-key-here');
      expectExit(await sandbox.run(['policy', 'delete', 'myapp-policy']), 0);
      expect((await sandbox.run(['kv', 'get', 'secret/myapp/database'], as)).exitCode).toBe(2);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
