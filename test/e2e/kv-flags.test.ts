import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit } from './run-cli.js';

// The kv commands' flags through the real binary: CAS, key metadata, rollback, patch methods,
// -mount, and Go flag-parsing errors.

async function json(sandbox: ReturnType<typeof createSandbox>, args: readonly string[]): Promise<Record<string, unknown>> {
  const result = expectExit(await sandbox.run([...args.slice(0, -1), '-format=json', ...args.slice(-1)]), 0);
  return (JSON.parse(result.stdout) as { data: Record<string, unknown> }).data;
}

describe('kv flags', () => {
  it('checks -cas on put and honours cas_required', async () => {
    const sandbox = createSandbox();
    expect(expectExit(await sandbox.run(['kv', 'put', '-cas=0', '-field=version', 'secret/c', 'a=1']), 0).stdout).toBe('1');
    const again = expectExit(await sandbox.run(['kv', 'put', '-cas=0', 'secret/c', 'a=2']), 2);
    expect(again.stderr).toContain('check-and-set parameter did not match the current version');
    const wrong = expectExit(await sandbox.run(['kv', 'put', '-cas=5', 'secret/c', 'a=2']), 2);
    expect(wrong.stderr).toContain('check-and-set parameter did not match the current version');
    expect(expectExit(await sandbox.run(['kv', 'put', '-cas=1', '-field=version', 'secret/c', 'a=2']), 0).stdout).toBe('2');

    expectExit(await sandbox.run(['kv', 'metadata', 'put', '-cas-required=true', 'secret/c']), 0);
    const required = expectExit(await sandbox.run(['kv', 'put', 'secret/c', 'a=3']), 2);
    expect(required.stderr).toContain('check-and-set parameter required for this call');
    expectExit(await sandbox.run(['kv', 'put', '-cas=2', 'secret/c', 'a=3']), 0);
  });

  it('sets, patches and deletes key metadata', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/m', 'v=1']), 0);
    const put = expectExit(
      await sandbox.run([
        'kv', 'metadata', 'put', '-max-versions=3', '-cas-required=true', '-delete-version-after=1h30m',
        '-custom-metadata=owner=ops', '-custom-metadata=tier=gold', 'secret/m',
      ]),
      0,
    );
    expect(put.stdout).toBe('Success! Data written to: secret/metadata/m\n');
    const table = expectExit(await sandbox.run(['kv', 'metadata', 'get', 'secret/m']), 0).stdout;
    expect(table).toContain('\ncas_required            true\n');
    expect(table).toContain('\ncustom_metadata         map[owner:ops tier:gold]\n');
    expect(table).toContain('\ndelete_version_after    1h30m0s\n');
    expect(table).toContain('\nmax_versions            3\n');

    const patched = expectExit(
      await sandbox.run(['kv', 'metadata', 'patch', '-max-versions=5', '-custom-metadata=region=eu', '-remove-custom-metadata=tier', 'secret/m']),
      0,
    );
    expect(patched.stdout).toBe('Success! Data written to: secret/metadata/m\n');
    expect(await json(sandbox, ['kv', 'metadata', 'get', 'secret/m'])).toMatchObject({
      cas_required: true,
      custom_metadata: { owner: 'ops', region: 'eu' },
      delete_version_after: '1h30m0s',
      max_versions: 5,
    });
    // A new version carries the key's custom_metadata and a deletion_time from delete_version_after.
    const version = await json(sandbox, ['kv', 'put', '-cas=1', 'secret/m', 'v=2']);
    expect(version).toMatchObject({ custom_metadata: { owner: 'ops', region: 'eu' }, version: 2 });
    expect(Date.parse(String(version['deletion_time'])) - Date.parse(String(version['created_time']))).toBe(90 * 60 * 1000);

    expect(expectExit(await sandbox.run(['kv', 'metadata', 'delete', 'secret/m']), 0).stdout).toBe(
      'Success! Data deleted (if it existed) at: secret/metadata/m\n',
    );
    expect(expectExit(await sandbox.run(['kv', 'metadata', 'get', 'secret/m']), 2).stderr).toBe('No value found at secret/metadata/m\n');
    expectExit(await sandbox.run(['kv', 'get', 'secret/m']), 2);
    expectExit(await sandbox.run(['kv', 'metadata', 'patch', '-max-versions=2', 'secret/m']), 2);
  });

  it('prunes past max-versions, rolls back, and patches with -method=rw and -remove-data', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'metadata', 'put', '-max-versions=2', 'secret/r']), 0);
    for (const value of ['one', 'two', 'three']) expectExit(await sandbox.run(['kv', 'put', 'secret/r', `v=${value}`, 'keep=k']), 0);
    // Vault's line, then which versions do exist (pruned past max-versions).
    expect(expectExit(await sandbox.run(['kv', 'get', '-version=1', 'secret/r']), 2).stderr).toBe('No value found at secret/data/r\nNo version 1; versions of secret/r: 2, 3.\n');

    const rolled = expectExit(await sandbox.run(['kv', 'rollback', '-version=2', 'secret/r']), 0);
    expect(rolled.stdout).toMatch(/^== Secret Path ==\nsecret\/data\/r\n\n======= Metadata =======\n[\s\S]*\nversion            4\n$/);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=v', 'secret/r']), 0).stdout).toBe('two');
    expect(expectExit(await sandbox.run(['kv', 'rollback', 'secret/r']), 1).stderr).toContain('Version flag must be specified');
    expectExit(await sandbox.run(['kv', 'delete', '-versions=3', 'secret/r']), 0);
    expect(expectExit(await sandbox.run(['kv', 'rollback', '-version=3', 'secret/r']), 2).stderr).toBe('Cannot roll back to a version that has been deleted\n');
    expectExit(await sandbox.run(['kv', 'destroy', '-versions=3', 'secret/r']), 0);
    expect(expectExit(await sandbox.run(['kv', 'rollback', '-version=3', 'secret/r']), 2).stderr).toBe('Cannot roll back to a version that has been destroyed\n');

    expectExit(await sandbox.run(['kv', 'patch', '-method=rw', 'secret/r', 'v=rw', 'added=1']), 0);
    const afterRw = expectExit(await sandbox.run(['kv', 'get', '-format=json', '-field=data', 'secret/r']), 0);
    expect(JSON.parse(afterRw.stdout)).toEqual({ v: 'rw', keep: 'k', added: '1' });
    expectExit(await sandbox.run(['kv', 'patch', '-method=patch', '-remove-data=added', '-remove-data=keep', 'secret/r']), 0);
    expect(JSON.parse(expectExit(await sandbox.run(['kv', 'get', '-format=json', '-field=data', 'secret/r']), 0).stdout)).toEqual({ v: 'rw' });

    const missingRw = expectExit(await sandbox.run(['kv', 'patch', '-method=rw', 'secret/none', 'a=1']), 2);
    expect(missingRw.stderr).toBe('No value found at secret/data/none\n');
    expectExit(await sandbox.run(['kv', 'patch', 'secret/none', 'a=1']), 2);
    expect(expectExit(await sandbox.run(['kv', 'patch', '-method=bogus', 'secret/r', 'a=1']), 1).stderr).toContain('bogus');
    const wrongCas = expectExit(await sandbox.run(['kv', 'patch', '-cas=1', 'secret/r', 'a=1']), 2);
    expect(wrongCas.stderr).toContain('check-and-set parameter did not match the current version');
  });

  it('accepts the -mount=secret form', async () => {
    const sandbox = createSandbox();
    expect(expectExit(await sandbox.run(['kv', 'put', '-mount=secret', 'team/app', 'k=v']), 0).stdout).toMatch(/^==== Secret Path ====\nsecret\/data\/team\/app\n/);
    expect(expectExit(await sandbox.run(['kv', 'get', '-mount=secret', '-field=k', 'team/app']), 0).stdout).toBe('v');
    expect(expectExit(await sandbox.run(['kv', 'list', '-mount=secret', 'team']), 0).stdout).toBe('Keys\n----\napp\n');
    expect(expectExit(await sandbox.run(['kv', 'metadata', 'get', '-mount=secret', 'team/app']), 0).stdout).toMatch(/^===== Metadata Path =====\nsecret\/metadata\/team\/app\n/);
    expect(expectExit(await sandbox.run(['kv', 'delete', '-mount=secret', 'team/app']), 0).stdout).toBe(
      'Success! Data deleted (if it existed) at: secret/data/team/app\n',
    );
  });

  it('lists folders with a trailing slash, and reports an empty listing as vault does', async () => {
    const sandbox = createSandbox();
    for (const path of ['secret/a/b/c', 'secret/a/d', 'secret/e']) expectExit(await sandbox.run(['kv', 'put', path, 'k=v']), 0);
    expect(expectExit(await sandbox.run(['kv', 'list', 'secret']), 0).stdout).toBe('Keys\n----\na/\ne\n');
    expect(expectExit(await sandbox.run(['kv', 'list', '/secret/a/']), 0).stdout).toBe('Keys\n----\nb/\nd\n');
    expect(JSON.parse(expectExit(await sandbox.run(['kv', 'list', '-format=json', 'secret/a']), 0).stdout)).toEqual(['b/', 'd']);
    const none = expectExit(await sandbox.run(['kv', 'list', 'secret/nope/']), 2);
    expect(none).toEqual({ stdout: '', stderr: 'No value found at secret/metadata/nope\n', exitCode: 2 });
    expect(expectExit(await sandbox.run(['kv', 'list', 'secret/e']), 2).stderr).toBe(
      'No value found at secret/metadata/e\nsecret/e is a secret, not a folder: read it with "secretrun kv get secret/e".\n',
    );
    expect(expectExit(await sandbox.run(['kv', 'list', '-format=json', 'secret/nope']), 2).stdout).toBe('{}\n');
  });

  it('reports flag and argument errors with exit 1, as Go flag parsing does', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/f', 'a=1']), 0);

    const trailing = expectExit(await sandbox.run(['kv', 'get', 'secret/f', '-field=a']), 1);
    expect(trailing.stderr.split('\n')).toEqual([
      'Command flags must be provided before positional arguments. The following arguments will not be parsed as flags: [-field=a]',
      'Too many arguments (expected 1, got 2)',
      expect.any(String),
      '',
    ]);
    // For put a trailing flag is data, as in vault: written as the key "-cas", with the warning.
    const trailingPut = expectExit(await sandbox.run(['kv', 'put', 'secret/f', 'a=1', '-cas=9']), 0);
    expect(trailingPut.stderr).toBe(
      'Command flags must be provided before positional arguments. The following arguments will not be parsed as flags: [-cas=9]\n',
    );
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=-cas', 'secret/f']), 0).stdout).toBe('9');

    expect(expectExit(await sandbox.run(['kv', 'get', '-bogus', 'secret/f']), 1).stderr).toContain('flag provided but not defined: -bogus');
    expect(expectExit(await sandbox.run(['kv', 'get', '-format=xml', 'secret/f']), 1).stderr).toContain('Invalid output format: xml');
    expect(expectExit(await sandbox.run(['kv', 'delete', '-versions=abc', 'secret/f']), 1).stderr).toContain('abc');
    expect(expectExit(await sandbox.run(['kv', 'metadata', 'put', '-delete-version-after=abc', 'secret/f']), 1).stderr).toContain('-delete-version-after');
    expect(expectExit(await sandbox.run(['kv', 'metadata', 'put', '-max-versions=x', 'secret/f']), 1).stderr).toContain('-max-versions');
    expect(expectExit(await sandbox.run(['kv', 'get', '-version=two', 'secret/f']), 1).stderr).toContain('-version');
    expect(expectExit(await sandbox.run(['kv', 'get']), 1).stderr.split('\n')[0]).toBe('Not enough arguments (expected 1, got 0)');
    expect(expectExit(await sandbox.run(['kv', 'metadata', 'get']), 1).stderr.split('\n')[0]).toBe('Not enough arguments (expected 1, got 0)');
    expect(expectExit(await sandbox.run(['kv', 'get', 'a', 'b']), 1).stderr.split('\n')[0]).toBe('Too many arguments (expected 1, got 2)');
    expect(expectExit(await sandbox.run(['kv', 'undelete', 'secret/f']), 1).stderr).toBe(
      'No versions provided, use the "-versions" flag to specify the version to undelete.\n',
    );
    expect(expectExit(await sandbox.run(['kv', 'destroy', 'secret/f']), 1).stderr).toBe(
      'No versions provided, use the "-versions" flag to specify the version to destroy.\n',
    );
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=nope', 'secret/f']), 1).stderr).toBe('Field "nope" not present in secret\nFields: -cas, a.\n');
    // None of them changed the secret.
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=a', 'secret/f']), 0).stdout).toBe('1');
  });
});
