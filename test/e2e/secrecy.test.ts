import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit, expectNoSecrets, randomRootKey, type CliResult } from './run-cli.js';

// No secret value in the stderr of any failing command, and none in the store file. Unlike
// vault, a malformed argument (`pw:hunter2`, `-custom-metadata=hunter2`) is not quoted back.

const values = {
  data: 'data-value-b81f3c',
  file: 'file-value-2a9e71',
  stdin: 'stdin-value-6d04c2',
  json: 'json-value-f1e5a8',
  custom: 'custom-meta-value-93bd1e',
  patch: 'patch-value-0c7a44',
};
const all = Object.values(values);

describe('secret values stay secret', () => {
  it('never appear on stderr of failing commands, nor in the store file', async () => {
    const sandbox = createSandbox();
    writeFileSync(join(sandbox.dir, 'value.txt'), values.file);
    writeFileSync(join(sandbox.dir, 'data.json'), JSON.stringify({ nested: { deep: values.json } }));
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', `token=${values.data}`, 'cert=@value.txt', 'pin=-', '@data.json'], { input: values.stdin }), 0);
    expectExit(await sandbox.run(['kv', 'metadata', 'put', `-custom-metadata=owner=${values.custom}`, 'secret/app']), 0);
    expectExit(await sandbox.run(['kv', 'patch', 'secret/app', `extra=${values.patch}`]), 0);
    expectExit(await sandbox.run(['secrets', 'enable', '-path=kv1', 'kv-v1']), 0);

    const failures: CliResult[] = [
      await sandbox.run(['kv', 'put', '-cas=9', 'secret/app', `token=${values.data}`]),
      await sandbox.run(['kv', 'patch', '-cas=9', 'secret/app', `token=${values.patch}`]),
      await sandbox.run(['kv', 'patch', 'kv1/app', `token=${values.patch}`]),
      await sandbox.run(['kv', 'patch', 'secret/missing', `token=${values.patch}`]),
      await sandbox.run(['kv', 'put', 'secret/app', `token=${values.data}`, 'broken']),
      await sandbox.run(['kv', 'put', 'secret/app', `token:${values.data}`]),
      await sandbox.run(['kv', 'metadata', 'put', `-custom-metadata=${values.custom}`, 'secret/app']),
      await sandbox.run(['kv', 'put', 'secret/app', `token=${values.data}`, 'x=@nowhere']),
      await sandbox.run(['kv', 'put', 'secret/app', '-'], { input: `{"k": "${values.stdin}" ]` }),
      await sandbox.run(['kv', 'put', '-bogus', 'secret/app', `token=${values.data}`]),
      await sandbox.run(['kv', 'put', 'nosuch/app', `token=${values.data}`]),
      await sandbox.run(['kv', 'get', '-field=missing', 'secret/app']),
      await sandbox.run(['kv', 'get', '-format=xml', 'secret/app']),
      await sandbox.run(['kv', 'get', 'secret/app'], { env: { SECRETRUN_KEY: randomRootKey() } }),
      await sandbox.run(['kv', 'metadata', 'put', '-max-versions=oops', `-custom-metadata=owner=${values.custom}`, 'secret/app']),
      await sandbox.run(['kv', 'metadata', 'put', `-custom-metadata=owner=${values.custom}`, '-delete-version-after=soon', 'secret/app']),
      await sandbox.run(['kv', 'rollback', '-version=9', 'secret/app']),
    ];
    for (const [index, result] of failures.entries()) {
      expect(result.exitCode, `failure #${index} should fail (stderr: ${result.stderr.trim()})`).not.toBe(0);
      expectNoSecrets(result.stderr, all, `stderr of failure #${index}`);
    }

    const store = readFileSync(sandbox.storePath, 'utf8');
    expectNoSecrets(store, all, 'the store file');
    expect(store).not.toContain('owner');
    // And they are all still there, readable with the key.
    const data = JSON.parse(expectExit(await sandbox.run(['kv', 'get', '-format=json', '-field=data', 'secret/app']), 0).stdout);
    expect(data).toEqual({ token: values.data, cert: values.file, pin: values.stdin, nested: { deep: values.json }, extra: values.patch });
  });
});
