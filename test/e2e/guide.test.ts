import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit, maskTimes, type CliSandbox } from './run-cli.js';

// The user guide (seed/vault-kv-guide.txt) step by step, with `secretrun` for `vault`.

const guidePuts: readonly (readonly string[])[] = [
  ['secret/api-keys/openai', 'api_key=sk-proj-your-openai-key-here', 'organization=your-org-id'],
  ['secret/api-keys/anthropic', 'api_key=your-anthropic-key-here'],
  ['secret/api-keys/github', 'token=ghp_your-github-token', 'username=your-github-username'],
  ['secret/myapp/database', 'username=db_admin', 'password=secure_db_password', 'host=db.example.com', 'port=5432'],
  ['secret/myapp/config', 'app_secret=your-app-secret-key', 'jwt_secret=jwt-signing-key', 'encryption_key=aes-256-key'],
  [
    'secret/api-keys/stripe',
    'api_key=sk_live_your-stripe-key',
    'webhook_secret=whsec_webhook-secret',
    'created_date=2025-09-25',
    'environment=production',
    'owner=finance-team',
  ],
];

async function putGuideSecrets(sandbox: CliSandbox): Promise<void> {
  for (const args of guidePuts) expectExit(await sandbox.run(['kv', 'put', ...args]), 0);
}

const openaiPutOutput = `======= Secret Path =======
secret/data/api-keys/openai

======= Metadata =======
Key                Value
---                -----
created_time       TIME
custom_metadata    <nil>
deletion_time      n/a
destroyed          false
version            1
`;

describe('the KV guide on the local store', () => {
  it('steps 1-3: engines, puts, get as table / json / field, list, versions', async () => {
    const sandbox = createSandbox();
    const list = expectExit(await sandbox.run(['secrets', 'list']), 0);
    const lines = list.stdout.split('\n');
    expect(lines[0]).toMatch(/^Path {7}Type {6}Accessor {11}Description$/);
    expect(lines[1]).toMatch(/^---- {7}---- {6}-------- {11}-----------$/);
    expect(lines.some((line) => /^secret\/ {4}kv {8}kv_\w+ +key\/value secret storage$/.test(line))).toBe(true);

    const again = expectExit(await sandbox.run(['secrets', 'enable', '-path=secret', 'kv-v2']), 2);
    expect(again.stderr).toContain('path is already in use at secret/');
    expect(again.stdout).toBe('');

    const first = expectExit(await sandbox.run(['kv', 'put', ...(guidePuts[0] ?? [])]), 0);
    expect(maskTimes(first.stdout)).toBe(openaiPutOutput);
    for (const args of guidePuts.slice(1)) expectExit(await sandbox.run(['kv', 'put', ...args]), 0);

    const table = expectExit(await sandbox.run(['kv', 'get', 'secret/api-keys/openai']), 0);
    expect(maskTimes(table.stdout)).toBe(`${openaiPutOutput}
======== Data ========
Key             Value
---             -----
api_key         sk-proj-your-openai-key-here
organization    your-org-id
`);
    expect(table.stderr).toBe('');

    const json = expectExit(await sandbox.run(['kv', 'get', '-format=json', 'secret/api-keys/openai']), 0);
    const parsed = JSON.parse(json.stdout) as Record<string, unknown> & { data: { data: unknown; metadata: Record<string, unknown> } };
    expect(Object.keys(parsed).slice(0, 6)).toEqual(['request_id', 'lease_id', 'lease_duration', 'renewable', 'data', 'warnings']);
    expect(Object.keys(parsed.data)).toEqual(['data', 'metadata']);
    expect(parsed.data.data).toEqual({ api_key: 'sk-proj-your-openai-key-here', organization: 'your-org-id' });
    expect(Object.keys(parsed.data.metadata)).toEqual(['created_time', 'custom_metadata', 'deletion_time', 'destroyed', 'version']);
    expect(parsed.data.metadata).toMatchObject({ custom_metadata: null, deletion_time: '', destroyed: false, version: 1 });
    expect(json.stdout.startsWith('{\n  "request_id": "')).toBe(true);

    // Not a TTY: exactly the value, no newline, so $(...) and subprocess capture get the bytes.
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/api-keys/openai']), 0).stdout).toBe('sk-proj-your-openai-key-here');
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=password', 'secret/myapp/database']), 0).stdout).toBe('secure_db_password');

    expect(expectExit(await sandbox.run(['kv', 'list', 'secret/']), 0).stdout).toBe('Keys\n----\napi-keys/\nmyapp/\n');
    expect(expectExit(await sandbox.run(['kv', 'list', 'secret/api-keys/']), 0).stdout).toBe('Keys\n----\nanthropic\ngithub\nopenai\nstripe\n');
    expect(expectExit(await sandbox.run(['kv', 'list', 'secret/myapp/']), 0).stdout).toBe('Keys\n----\nconfig\ndatabase\n');

    const metadata = expectExit(await sandbox.run(['kv', 'metadata', 'get', 'secret/api-keys/openai']), 0);
    expect(maskTimes(metadata.stdout)).toBe(`======== Metadata Path ========
secret/metadata/api-keys/openai

========== Metadata ==========
Key                     Value
---                     -----
cas_required            false
created_time            TIME
current_version         1
custom_metadata         <nil>
delete_version_after    0s
max_versions            0
oldest_version          0
updated_time            TIME

====== Version 1 ======
Key              Value
---              -----
created_time     TIME
deletion_time    n/a
destroyed        false
`);

    const updated = expectExit(
      await sandbox.run(['kv', 'put', 'secret/api-keys/openai', 'api_key=sk-proj-updated-key', 'organization=new-org-id']),
      0,
    );
    expect(updated.stdout).toMatch(/\nversion            2\n$/);
    const v1 = expectExit(await sandbox.run(['kv', 'get', '-version=1', 'secret/api-keys/openai']), 0);
    expect(v1.stdout).toContain('\napi_key         sk-proj-your-openai-key-here\n');
    expect(v1.stdout).toContain('\nversion            1\n');
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/api-keys/openai']), 0).stdout).toBe('sk-proj-updated-key');
    const history = expectExit(await sandbox.run(['kv', 'metadata', 'get', 'secret/api-keys/openai']), 0);
    expect(history.stdout).toContain('\ncurrent_version         2\n');
    expect(history.stdout).toMatch(/====== Version 1 ======[\s\S]*====== Version 2 ======\n/);
  });

  it('steps 4-5: delete, destroy, undelete, patch, load-secrets.sh, templates, not found', async () => {
    const sandbox = createSandbox();
    await putGuideSecrets(sandbox);
    expectExit(await sandbox.run(['kv', 'put', 'secret/api-keys/openai', 'api_key=sk-proj-updated-key', 'organization=new-org-id']), 0);

    // The guide's script, verbatim but for the binary's name, run by a real shell.
    writeFileSync(
      join(sandbox.dir, 'load-secrets.sh'),
      [
        '#!/bin/bash',
        '# load-secrets.sh',
        '# Load API keys',
        'export OPENAI_API_KEY=$(secretrun kv get -field=api_key secret/api-keys/openai)',
        'export ANTHROPIC_API_KEY=$(secretrun kv get -field=api_key secret/api-keys/anthropic)',
        '# Load database credentials',
        'export DB_USERNAME=$(secretrun kv get -field=username secret/myapp/database)',
        'export DB_PASSWORD=$(secretrun kv get -field=password secret/myapp/database)',
        'export DB_HOST=$(secretrun kv get -field=host secret/myapp/database)',
        '# Start application with loaded secrets',
        './start-application.sh',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    writeFileSync(
      join(sandbox.dir, 'start-application.sh'),
      '#!/bin/sh\nprintf "%s|" "$OPENAI_API_KEY" "$ANTHROPIC_API_KEY" "$DB_USERNAME" "$DB_PASSWORD" "$DB_HOST"\n',
      { mode: 0o755 },
    );
    const script = await execa('sh', ['./load-secrets.sh'], {
      cwd: sandbox.dir,
      env: { ...sandbox.env, PATH: `${sandbox.binDir()}:${sandbox.env['PATH'] ?? ''}` },
      extendEnv: false,
      reject: false,
    });
    expect(script.exitCode).toBe(0);
    expect(script.stdout).toBe('sk-proj-updated-key|your-anthropic-key-here|db_admin|secure_db_password|db.example.com|');

    for (const value of ['a', 'b', 'c']) expectExit(await sandbox.run(['kv', 'put', 'secret/api-keys/old-service', `token=${value}`]), 0);
    expect(expectExit(await sandbox.run(['kv', 'delete', 'secret/api-keys/old-service']), 0).stdout).toBe(
      'Success! Data deleted (if it existed) at: secret/data/api-keys/old-service\n',
    );
    // A deleted latest version still prints its path and metadata, and exits 0.
    const deleted = expectExit(await sandbox.run(['kv', 'get', 'secret/api-keys/old-service']), 0);
    expect(deleted.stdout).not.toContain('Data');
    expect(deleted.stdout).toMatch(/\ndeletion_time      \d{4}-\d\d-\d\dT[\d:.]+Z\n/);
    expect(deleted.stdout.endsWith('version            3\n\n')).toBe(true);

    expect(expectExit(await sandbox.run(['kv', 'delete', '-versions=1,2', 'secret/api-keys/openai']), 0).stdout).toBe(
      'Success! Data deleted (if it existed) at: secret/data/api-keys/openai\n',
    );
    expect(expectExit(await sandbox.run(['kv', 'destroy', '-versions=1,2', 'secret/api-keys/openai']), 0).stdout).toBe(
      'Success! Data written to: secret/destroy/api-keys/openai\n',
    );
    const destroyed = expectExit(await sandbox.run(['kv', 'metadata', 'get', '-format=json', 'secret/api-keys/openai']), 0);
    const versions = (JSON.parse(destroyed.stdout) as { data: { versions: Record<string, { destroyed: boolean }> } }).data.versions;
    expect([versions['1']?.destroyed, versions['2']?.destroyed]).toEqual([true, true]);

    expect(expectExit(await sandbox.run(['kv', 'undelete', '-versions=3', 'secret/api-keys/old-service']), 0).stdout).toBe(
      'Success! Data written to: secret/undelete/api-keys/old-service\n',
    );
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=token', 'secret/api-keys/old-service']), 0).stdout).toBe('c');

    const patched = expectExit(await sandbox.run(['kv', 'patch', 'secret/api-keys/stripe', 'api_key=sk_live_new-stripe-key']), 0);
    expect(patched.stdout).toMatch(/^======= Secret Path =======\nsecret\/data\/api-keys\/stripe\n\n======= Metadata =======\n/);
    expect(patched.stdout).toMatch(/\nversion            2\n$/);
    const stripe = JSON.parse(expectExit(await sandbox.run(['kv', 'get', '-format=json', '-field=data', 'secret/api-keys/stripe']), 0).stdout);
    expect(stripe).toEqual({
      api_key: 'sk_live_new-stripe-key',
      webhook_secret: 'whsec_webhook-secret',
      created_date: '2025-09-25',
      environment: 'production',
      owner: 'finance-team',
    });
    expectExit(await sandbox.run(['kv', 'patch', 'secret/myapp/config', 'redis_url=redis://cache.example.com:6379']), 0);
    const config = expectExit(await sandbox.run(['kv', 'get', 'secret/myapp/config']), 0);
    expect(config.stdout).toContain(`========= Data =========
Key               Value
---               -----
app_secret        your-app-secret-key
encryption_key    aes-256-key
jwt_secret        jwt-signing-key
redis_url         redis://cache.example.com:6379
`);

    expectExit(
      await sandbox.run([
        'kv',
        'put',
        'secret/templates/api-service',
        'api_key=REPLACE_WITH_ACTUAL_KEY',
        'environment=REPLACE_WITH_ENV',
        'owner=REPLACE_WITH_TEAM',
        'created_date=REPLACE_WITH_DATE',
      ]),
      0,
    );
    expect(expectExit(await sandbox.run(['kv', 'list', 'secret/']), 0).stdout).toBe('Keys\n----\napi-keys/\nmyapp/\ntemplates/\n');

    const missing = expectExit(await sandbox.run(['kv', 'get', 'secret/mykey']), 2);
    expect(missing.stderr).toBe('No value found at secret/data/mykey\n');
    expect(missing.stdout).toBe('');
  });

  it('enables kv-v2 at secret/ on a store where it was disabled, and the data went with it', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/api-keys/anthropic', 'api_key=your-anthropic-key-here']), 0);
    expect(expectExit(await sandbox.run(['secrets', 'disable', 'secret']), 0).stdout).toBe(
      'Success! Disabled the secrets engine (if it existed) at: secret/\n',
    );
    expect(expectExit(await sandbox.run(['secrets', 'list']), 0).stdout).not.toMatch(/^secret\//m);
    expect(readFileSync(sandbox.storePath, 'utf8').split('\n').filter((line) => line.includes('api-keys/anthropic'))).toEqual([]);
    expect(expectExit(await sandbox.run(['secrets', 'enable', '-path=secret', 'kv-v2']), 0).stdout).toBe(
      'Success! Enabled the kv-v2 secrets engine at: secret/\n',
    );
    expect(expectExit(await sandbox.run(['secrets', 'list']), 0).stdout).toMatch(/^secret\/ +kv +kv_\w+ /m);
    expectExit(await sandbox.run(['kv', 'get', 'secret/api-keys/anthropic']), 2);
    expectExit(await sandbox.run(['kv', 'put', 'secret/api-keys/anthropic', 'api_key=your-anthropic-key-here']), 0);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/api-keys/anthropic']), 0).stdout).toBe('your-anthropic-key-here');
  });
});
