// `secretrun policy ...` and `secretrun auth ...`: the same output over the local store and
// against `secretrun server`, Vault's messages and exit codes, and a policy that does not
// parse refused with its position, leaving nothing stored.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../http/server-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { createSandbox, expectExit, type CliResult } from './run-cli.js';

const policy = 'path "secret/data/app/*" {\n  capabilities = ["read", "list"]\n}\n';

// The commands, in order, with stdin for those that read it.
const session: Array<{ argv: string[]; input?: string; exit: number }> = [
  { argv: ['policy', 'list'], exit: 0 },
  { argv: ['policy', 'write', 'App-Policy', 'app.hcl'], exit: 0 },
  { argv: ['policy', 'write', 'stdin-policy', '-'], input: policy, exit: 0 },
  { argv: ['policy', 'list'], exit: 0 },
  { argv: ['policy', 'list', '-format=json'], exit: 0 },
  { argv: ['policy', 'read', 'app-policy'], exit: 0 },
  { argv: ['policy', 'read', '-format=json', 'app-policy'], exit: 0 },
  { argv: ['policy', 'read', 'missing'], exit: 2 },
  { argv: ['policy', 'write', 'broken', 'broken.hcl'], exit: 2 },
  { argv: ['policy', 'read', 'broken'], exit: 2 },
  { argv: ['policy', 'write', 'root', 'app.hcl'], exit: 2 },
  { argv: ['policy', 'delete', 'default'], exit: 2 },
  { argv: ['policy', 'delete', 'stdin-policy'], exit: 0 },
  { argv: ['policy', 'write', 'x'], exit: 1 },
  { argv: ['policy', 'write', 'x', 'no-such-file.hcl'], exit: 1 },
  { argv: ['auth', 'enable', 'userpass'], exit: 0 },
  { argv: ['auth', 'enable', '-path=ci', '-description=CI jobs', '-default-lease-ttl=1h', 'approle'], exit: 0 },
  { argv: ['auth', 'enable', 'userpass'], exit: 2 },
  { argv: ['auth', 'enable', 'ldap'], exit: 2 },
  { argv: ['auth', 'tune', '-max-lease-ttl=2h', '-description=tuned', 'ci/'], exit: 0 },
  { argv: ['read', 'sys/auth/ci/tune'], exit: 0 },
  { argv: ['write', 'auth/ci/role/deploy', 'token_policies=app-policy', 'secret_id_num_uses=3'], exit: 0 },
  { argv: ['read', 'auth/ci/role/deploy'], exit: 0 },
  // Vault's documented way to issue a secret-id: a write with no data, forced.
  { argv: ['write', 'auth/ci/role/deploy/secret-id'], exit: 1 },
  { argv: ['write', '-f', 'auth/ci/role/deploy/secret-id'], exit: 0 },
  { argv: ['write', '-force', '-field=secret_id_num_uses', 'auth/ci/role/deploy/secret-id'], exit: 0 },
  { argv: ['list', 'auth/ci/role'], exit: 0 },
  { argv: ['auth', 'disable', 'ci'], exit: 0 },
  { argv: ['auth', 'disable', 'token'], exit: 2 },
];

function normalize(text: string): string {
  return text
    .replace(/auth_(\w+?)_[0-9a-f]{8}/g, 'auth_$1_X')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID');
}

// Vault's remote errors carry the request; locally the message is one line. Both name the failure.
function failureText(result: CliResult): string {
  return result.stderr.replace(/^secretrun: created store .*\n/, '');
}

describe('policy and auth commands', () => {
  it('print the same over the local store and against secretrun server, with Vault\'s exit codes', async () => {
    const local = createSandbox();
    const remote = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0'], { ...remote.env, HOME: makeTempDir() });
    const env = { VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken ?? '' };
    for (const sandbox of [local, remote]) {
      writeFileSync(join(sandbox.dir, 'app.hcl'), policy);
      writeFileSync(join(sandbox.dir, 'broken.hcl'), 'path "secret/data/x" {\n  capabilities = ["read", "reed"]\n}\n');
    }
    try {
      for (const step of session) {
        const label = step.argv.join(' ');
        const options = step.input === undefined ? {} : { input: step.input };
        const here = await local.run(step.argv, options);
        const there = await remote.run(step.argv, { ...options, env });
        expect(here.exitCode, `${label} (local): ${here.stderr}`).toBe(step.exit);
        expect(there.exitCode, `${label} (server): ${there.stderr}`).toBe(step.exit);
        expect(normalize(there.stdout), label).toBe(normalize(here.stdout));
        if (step.exit === 2 && label.startsWith('policy write broken')) {
          for (const text of [failureText(here), failureText(there)]) expect(text).toContain('failed to parse policy: At 2:27: path "secret/data/x": invalid capability "reed"');
        }
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('say what Vault says', async () => {
    const sandbox = createSandbox();
    writeFileSync(join(sandbox.dir, 'app.hcl'), policy);
    expect(expectExit(await sandbox.run(['policy', 'list']), 0).stdout).toBe('default\nroot\n');
    expect(expectExit(await sandbox.run(['policy', 'write', 'App-Policy', 'app.hcl']), 0).stdout).toBe('Success! Uploaded policy: app-policy\n');
    expect(expectExit(await sandbox.run(['policy', 'read', 'app-policy']), 0).stdout).toBe(policy);
    expect(JSON.parse(expectExit(await sandbox.run(['policy', 'read', '-format=json', 'app-policy']), 0).stdout)).toEqual({ policy });
    expect(JSON.parse(expectExit(await sandbox.run(['policy', 'list', '-format=json']), 0).stdout)).toEqual(['app-policy', 'default', 'root']);
    expect(expectExit(await sandbox.run(['policy', 'read', 'missing']), 2).stderr).toBe('No policy named: missing\n');
    expect(expectExit(await sandbox.run(['policy', 'delete', 'app-policy']), 0).stdout).toBe('Success! Deleted policy: app-policy\n');
    expect(expectExit(await sandbox.run(['policy', 'delete', 'default']), 2).stderr).toBe('Error deleting default: cannot delete default policy\n');
    expect(expectExit(await sandbox.run(['policy', 'write', 'x']), 1).stderr).toContain('Not enough arguments (expected 2, got 1)');
    expect(expectExit(await sandbox.run(['policy', 'write', 'x', 'nope.hcl']), 1).stderr).toBe(
      'Error opening policy file: cannot read nope.hcl: no such file or directory (ENOENT; check that its directory exists)\n',
    );
    expect(expectExit(await sandbox.run(['auth', 'enable', 'userpass']), 0).stdout).toBe('Success! Enabled userpass auth method at: userpass/\n');
    expect(expectExit(await sandbox.run(['write', 'auth/userpass/users/x']), 1).stderr).toBe('Must supply data or use -force\n');
    expect(expectExit(await sandbox.run(['auth', 'enable', '-path=team/people', 'userpass']), 0).stdout).toBe('Success! Enabled userpass auth method at: team/people/\n');
    expect(expectExit(await sandbox.run(['auth', 'enable', 'userpass']), 2).stderr).toBe('Error enabling userpass auth: path is already in use at userpass/\n');
    const listed = expectExit(await sandbox.run(['auth', 'list']), 0).stdout;
    // Columns as columnize aligns them; accessors are random, so spaces are compared collapsed.
    expect(listed.split('\n')[0]).toMatch(/^Path {12}Type {8}Accessor {18}Description {16}Version$/);
    expect(normalize(listed).replace(/ {2,}/g, ' | ')).toBe(
      [
        'Path | Type | Accessor | Description | Version',
        '---- | ---- | -------- | ----------- | -------',
        'team/people/ | userpass | auth_userpass_X | n/a | n/a',
        'token/ | token | auth_token_X | token based credentials | n/a',
        'userpass/ | userpass | auth_userpass_X | n/a | n/a',
        '',
      ].join('\n'),
    );
    expect(expectExit(await sandbox.run(['auth', 'tune', '-default-lease-ttl=90m', 'userpass']), 0).stdout).toBe('Success! Tuned the auth method at: userpass/\n');
    expect(expectExit(await sandbox.run(['read', '-field=default_lease_ttl', 'sys/auth/userpass/tune']), 0).stdout).toBe('5400');
    expect(expectExit(await sandbox.run(['auth', 'disable', 'userpass/']), 0).stdout).toBe('Success! Disabled the auth method (if it existed) at: userpass/\n');
    expect(expectExit(await sandbox.run(['auth', 'disable', 'userpass/']), 0).stdout).toBe('Success! Disabled the auth method (if it existed) at: userpass/\n');
  });

  it('refuse a policy that does not parse with its line, column and reason, and store nothing', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['init']), 0);
    const before = readFileSync(sandbox.storePath);
    const refused = expectExit(await sandbox.run(['policy', 'write', 'broken', '-'], { input: 'path "secret/*" {\n  capabilities = ["read"\n}\n' }), 2);
    expect(refused.stderr).toMatch(/^Error uploading policy: failed to parse policy: At 3:1: /);
    expect(readFileSync(sandbox.storePath)).toEqual(before);
    expectExit(await sandbox.run(['policy', 'read', 'broken']), 2);
  });

  it('format a policy file in place, keeping its comments and mode, and leave one that does not parse alone', async () => {
    const sandbox = createSandbox();
    const file = join(sandbox.dir, 'p.hcl');
    writeFileSync(file, '# for the app\npath "secret/data/app/*" {capabilities=["read","list"]\n// list too\n}\npath "x" { policy = "read" }\n', { mode: 0o640 });
    expect(expectExit(await sandbox.run(['policy', 'fmt', 'p.hcl']), 0).stdout).toBe('Success! Formatted policy: p.hcl\n');
    expect(readFileSync(file, 'utf8')).toBe('# for the app\npath "secret/data/app/*" {\n  capabilities = ["read", "list"]\n  // list too\n}\n\npath "x" {\n  policy = "read"\n}\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const broken = 'path "x" { capabilities = ["reed"] }\n';
    writeFileSync(file, broken);
    const refused = expectExit(await sandbox.run(['policy', 'fmt', 'p.hcl']), 1);
    expect(refused.stderr).toContain('failed to parse policy: At 1:28: path "x": invalid capability "reed"');
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });
});
