import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../http/server-process.js';
import { createSandbox, expectExit, expectNoSecrets } from './run-cli.js';

// `kv put` data arguments through the real binary: files, stdin, JSON, arrays, escapes, errors.

const nested = { n: 5, f: 1.5, flag: true, none: null, o: { x: [1, 'a', null, true], deep: { k: 'v' } }, s: 'text' };

async function dataOf(sandbox: ReturnType<typeof createSandbox>, path: string): Promise<unknown> {
  const result = expectExit(await sandbox.run(['kv', 'get', '-format=json', path]), 0);
  return (JSON.parse(result.stdout) as { data: { data: unknown } }).data.data;
}

describe('kv put data arguments', () => {
  it('reads key=@file and key=- verbatim, with their trailing newlines', async () => {
    const sandbox = createSandbox();
    writeFileSync(join(sandbox.dir, 'cert.pem'), 'line one\nline two\n\n');
    expectExit(await sandbox.run(['kv', 'put', 'secret/files', 'cert=@cert.pem', 'plain=x']), 0);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=cert', 'secret/files']), 0).stdout).toBe('line one\nline two\n\n');

    expectExit(await sandbox.run(['kv', 'put', 'secret/stdin', 'token=-'], { input: 'from-stdin\n' }), 0);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=token', 'secret/stdin']), 0).stdout).toBe('from-stdin\n');
  });

  it('merges a bare @file.json or - (JSON object) keeping numbers, booleans, null and nesting', async () => {
    const sandbox = createSandbox();
    writeFileSync(join(sandbox.dir, 'data.json'), JSON.stringify(nested));
    expectExit(await sandbox.run(['kv', 'put', 'secret/json-file', '@data.json']), 0);
    expect(await dataOf(sandbox, 'secret/json-file')).toEqual(nested);

    expectExit(await sandbox.run(['kv', 'put', 'secret/json-stdin', '-', 'extra=yes'], { input: JSON.stringify(nested) }), 0);
    expect(await dataOf(sandbox, 'secret/json-stdin')).toEqual({ ...nested, extra: 'yes' });

    // Go's %v rendering in the table.
    const table = expectExit(await sandbox.run(['kv', 'get', 'secret/json-file']), 0);
    expect(table.stdout).toContain('\nf       1.5\n');
    expect(table.stdout).toContain('\nnone    <nil>\n');
    expect(table.stdout).toContain('\no       map[deep:map[k:v] x:[1 a <nil> true]]\n');
    expect(expectExit(await sandbox.run(['kv', 'get', '-format=json', '-field=o', 'secret/json-file']), 0).stdout).toBe(
      // Go marshals map keys sorted.
      JSON.stringify({ deep: nested.o.deep, x: nested.o.x }, null, 2),
    );
  });

  it('builds an array from a repeated key and keeps \\@ literal', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/arr', 'k=a', 'k=b', 'k=c', 'at=\\@not-a-file', 'eq=a=b=c']), 0);
    expect(await dataOf(sandbox, 'secret/arr')).toEqual({ k: ['a', 'b', 'c'], at: '@not-a-file', eq: 'a=b=c' });
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=k', 'secret/arr']), 0).stdout).toBe('[a b c]');
  });

  it('rejects malformed data with exit 1, naming the argument or file but never a value', async () => {
    const sandbox = createSandbox();
    const secrets = ['argument-secret-7f3a', 'file-secret-9c1d', 'stdin-secret-44ab'];
    expectExit(await sandbox.run(['kv', 'put', 'secret/ok', 'a=1']), 0);
    writeFileSync(join(sandbox.dir, 'bad.json'), `{"token": "${secrets[1]}",, }`);
    writeFileSync(join(sandbox.dir, 'cut.json'), `{"token": "${secrets[1]}"`);
    writeFileSync(join(sandbox.dir, 'list.json'), `["${secrets[1]}"]`);

    const malformed = expectExit(await sandbox.run(['kv', 'put', 'secret/bad', `password=${secrets[0]}`, 'abc']), 1);
    expect(malformed.stderr.split('\n')[0]).toBe(
      'Failed to parse K=V data: invalid key/value pair (data argument 2, not shown in case it is a secret): format must be key=value',
    );

    const missing = expectExit(await sandbox.run(['kv', 'put', 'secret/bad', `password=${secrets[0]}`, 'cert=@nowhere.pem']), 1);
    expect(missing.stderr).toContain('nowhere.pem');
    expect(missing.stderr).toMatch(/no such file/);

    const badJson = expectExit(await sandbox.run(['kv', 'put', 'secret/bad', '@bad.json']), 1);
    expect(badJson.stderr).toContain('bad.json');
    expect(badJson.stderr).toMatch(/line 1, column \d+/);
    const cut = expectExit(await sandbox.run(['kv', 'put', 'secret/bad', '@cut.json']), 1);
    expect(cut.stderr).toContain('cut.json');
    expect(cut.stderr).toMatch(/line \d+, column \d+/);
    const notObject = expectExit(await sandbox.run(['kv', 'put', 'secret/bad', '@list.json']), 1);
    expect(notObject.stderr).toContain('list.json');
    const badStdin = expectExit(await sandbox.run(['kv', 'put', 'secret/bad', '-'], { input: `{"x": "${secrets[2]}" oops}` }), 1);
    expect(badStdin.stderr).toMatch(/line 1, column \d+/);
    const twice = expectExit(await sandbox.run(['kv', 'put', 'secret/bad', 'a=-', '-'], { input: '{}' }), 1);
    expect(twice.stderr).toContain('stdin already consumed');

    const none = expectExit(await sandbox.run(['kv', 'put', 'secret/bad']), 1);
    expect(none.stderr).toBe('Must supply data\n');

    for (const result of [malformed, missing, badJson, cut, notObject, badStdin, twice]) {
      expect(result.stdout).toBe('');
      expectNoSecrets(result.stderr, secrets, 'stderr');
    }
    // Nothing was written by any of them.
    expectExit(await sandbox.run(['kv', 'get', 'secret/bad']), 2);
    expectNoSecrets(readFileSync(sandbox.storePath, 'utf8'), secrets, 'the store file');
  });

  it('refuses JSON nested deeper than the server takes with exit 1 naming the file, locally and against a server', async () => {
    const local = createSandbox();
    const remote = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=deep-root'], remote.env);
    const deep = `{"a":${'['.repeat(2500)}${']'.repeat(2500)}}`;
    const within = `{"a":${'['.repeat(998)}${']'.repeat(998)}}`;
    for (const sandbox of [local, remote]) {
      const env = sandbox === remote ? { VAULT_ADDR: server.url, VAULT_TOKEN: 'deep-root' } : {};
      writeFileSync(join(sandbox.dir, 'deep.json'), deep);
      writeFileSync(join(sandbox.dir, 'within.json'), within);
      const file = expectExit(await sandbox.run(['kv', 'put', 'secret/deep', '@deep.json'], { env }), 1);
      expect(file.stderr.split('\n')[0]).toBe(
        'Failed to parse K=V data: invalid key/value pair "@deep.json": invalid JSON in deep.json: nested deeper than 999 levels at line 1, column 1004',
      );
      const stdin = expectExit(await sandbox.run(['write', 'secret/data/deep', '-'], { env, input: deep }), 1);
      expect(stdin.stderr).toContain('nested deeper than 999 levels');
      expectExit(await sandbox.run(['kv', 'put', 'secret/deep', '@within.json'], { env }), 0);
      expect(expectExit(await sandbox.run(['kv', 'get', '-field=a', 'secret/deep'], { env }), 0).stdout.length).toBe(2 * 998);
    }
    expect(await server.stop()).toBe(0);
  });

  it('refuses a -delete-version-after longer than Go can hold, and the server refuses it over HTTP', async () => {
    const local = createSandbox();
    const flag = expectExit(await local.run(['kv', 'metadata', 'put', '-delete-version-after=99999999999999h', 'secret/dva']), 1);
    expect(flag.stderr.split('\n')[0]).toBe('invalid value "99999999999999h" for flag -delete-version-after: time: invalid duration "99999999999999h"');
    expectExit(await local.run(['kv', 'put', 'secret/dva', 'a=b']), 0);

    const remote = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=dva-root'], remote.env);
    const env = { VAULT_ADDR: server.url, VAULT_TOKEN: 'dva-root' };
    const refused = expectExit(await remote.run(['write', 'secret/metadata/dva', 'delete_version_after=99999999999999h'], { env }), 2);
    expect(refused.stderr).toContain(
      'Code: 400. Errors:\n\n* Field validation failed: error converting input 99999999999999h for field "delete_version_after": time: invalid duration "99999999999999h"',
    );
    expectExit(await remote.run(['kv', 'put', 'secret/dva', 'a=b'], { env }), 0);
    expect(await server.stop()).toBe(0);
  });
});
