// "Not found" errors that say what does exist: Vault's first line, then the nearest path, the
// versions, the fields or the mounts — and a missing store said as such.
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit } from './run-cli.js';

describe('errors that say what to do', () => {
  it('a read of a store that is not there says so and how to create one', async () => {
    const sandbox = createSandbox();
    const result = expectExit(await sandbox.run(['kv', 'get', 'secret/app']), 5);
    expect(result.stderr).toBe(
      `no store at ${sandbox.storePath}\nRun "secretrun init" to create it (the first write creates it too), or pass -store or set SECRETRUN_STORE to use another one.\n`,
    );
  });

  it('names the nearest paths, the versions, the fields and the mounts', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/myapp/database', 'password=hunter2-9d1c', 'username=app']), 0);
    const typo = expectExit(await sandbox.run(['kv', 'get', 'secret/myap/database']), 2);
    expect(typo.stderr).toBe('No value found at secret/data/myap/database\nDid you mean secret/myapp/database?\n');
    const version = expectExit(await sandbox.run(['kv', 'get', '-version=4', 'secret/myapp/database']), 2);
    expect(version.stderr).toBe('No value found at secret/data/myapp/database\nNo version 4; versions of secret/myapp/database: 1.\n');
    const field = expectExit(await sandbox.run(['kv', 'get', '-field=pasword', 'secret/myapp/database']), 1);
    expect(field.stderr).toBe('Field "pasword" not present in secret\nDid you mean "password"? Fields: password, username.\n');
    const mount = expectExit(await sandbox.run(['kv', 'get', 'secrets/myapp/database']), 2);
    expect(mount.stderr).toBe(
      'preflight capability check returned 403, please ensure client\'s policies grant access to path "secrets/myapp/database/"\nMounts: secret/ (run "secretrun secrets list" for details).\n',
    );
    for (const result of [typo, version, field, mount]) expect(result.stdout + result.stderr).not.toContain('hunter2-9d1c');
  });

  it('the runner and check name the same things for each reference', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/myapp/database', 'password=hunter2-9d1c']), 0);
    const manifest = [
      'env:',
      '  A: secret/myap/database#password',
      '  B: secret/myapp/database#pasword',
      '  C: secret/myapp/database#password@3',
      '  D: secrets/myapp/database#password',
      '',
    ].join('\n');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${sandbox.dir}/secretrun.yaml`, manifest);
    const check = expectExit(await sandbox.run(['check']), 7);
    expect(check.stderr).toContain("A: secret/myap/database#password: no secret at this path (did you mean secret/myapp/database?)");
    expect(check.stderr).toContain("B: secret/myapp/database#pasword: no field 'pasword' in this secret (did you mean 'password'? fields: password)");
    expect(check.stderr).toContain('C: secret/myapp/database#password@3: no version 3 of this secret (versions: 1)');
    expect(check.stderr).toContain('D: secrets/myapp/database#password: no secrets engine is mounted at this path (KV mounts: secret/)');
    expect(check.stdout + check.stderr).not.toContain('hunter2-9d1c');
  });

  it('check lists optional variables that did not resolve, and warns on an empty manifest', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'token=t0ken-4b2a']), 0);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${sandbox.dir}/secretrun.yaml`, 'env:\n  A: secret/app#token\n  B: { ref: secret/app#tokn, optional: true }\nexpand:\n  - { path: secret/none, prefix: X_, optional: true }\n');
    const check = expectExit(await sandbox.run(['check']), 0);
    expect(check.stdout).toBe(
      [
        'A  reference  secret/app#token',
        '2 optional variables not set:',
        "  B: secret/app#tokn: no field 'tokn' in this secret (did you mean 'token'? fields: token) (secretrun.yaml:3:3)",
        '  X_*: secret/none: no secret at this path (secretrun.yaml:5:5)',
        'ok: 1 variable resolved',
        '',
      ].join('\n'),
    );
    writeFileSync(`${sandbox.dir}/secretrun.yaml`, 'env: {}\n');
    expect(expectExit(await sandbox.run(['check']), 0).stdout).toContain('warning: the manifest defines no variables');
  });
});
