import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit } from './run-cli.js';

// `secrets enable|tune|disable|list` and the kv commands on a KV version 1 mount.

describe('secrets engines and KV v1', () => {
  it('serves kv-v1 mounts (both spellings) with v1 output and v2-only commands refused', async () => {
    const sandbox = createSandbox();
    expect(expectExit(await sandbox.run(['secrets', 'enable', '-path=kv1', 'kv-v1']), 0).stdout).toBe(
      'Success! Enabled the kv-v1 secrets engine at: kv1/\n',
    );
    expect(expectExit(await sandbox.run(['secrets', 'enable', '-path=legacy', '-version=1', 'kv']), 0).stdout).toBe(
      'Success! Enabled the kv secrets engine at: legacy/\n',
    );
    for (const mount of ['kv1', 'legacy']) {
      expect(expectExit(await sandbox.run(['kv', 'put', `${mount}/foo`, 'user=admin', 'empty=']), 0).stdout).toBe(
        `Success! Data written to: ${mount}/foo\n`,
      );
      expect(expectExit(await sandbox.run(['kv', 'get', `${mount}/foo`]), 0).stdout).toBe(
        '==== Data ====\nKey      Value\n---      -----\nempty    n/a\nuser     admin\n',
      );
    }
    const json = JSON.parse(expectExit(await sandbox.run(['kv', 'get', '-format=json', 'kv1/foo']), 0).stdout) as { data: unknown };
    expect(json.data).toEqual({ user: 'admin', empty: '' });
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=user', 'kv1/foo']), 0).stdout).toBe('admin');
    expect(expectExit(await sandbox.run(['kv', 'list', 'kv1']), 0).stdout).toBe('Keys\n----\nfoo\n');

    expect(expectExit(await sandbox.run(['kv', 'metadata', 'get', 'kv1/foo']), 1).stderr).toBe('Metadata not supported on KV Version 1\n');
    expect(expectExit(await sandbox.run(['kv', 'patch', 'kv1/foo', 'user=root']), 2).stderr).toBe(
      'K/V engine mount must be version 2 for patch support\n',
    );
    expect(expectExit(await sandbox.run(['kv', 'undelete', '-versions=1', 'kv1/foo']), 1).stderr).toBe('Undelete not supported on KV Version 1\n');
    expect(expectExit(await sandbox.run(['kv', 'destroy', '-versions=1', 'kv1/foo']), 1).stderr).toBe('Destroy not supported on KV Version 1\n');
    expect(expectExit(await sandbox.run(['kv', 'delete', 'kv1/foo']), 0).stdout).toBe('Success! Data deleted (if it existed) at: kv1/foo\n');
    expect(expectExit(await sandbox.run(['kv', 'get', 'kv1/foo']), 2).stderr).toBe('No value found at kv1/foo\n');
  });

  it('tunes, lists (table, json, detailed) and disables mounts, deleting their data', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['secrets', 'enable', '-path=kv1', '-description=first', 'kv-v1']), 0);
    expectExit(await sandbox.run(['kv', 'put', 'kv1/app', 'token=kv1-token-value']), 0);
    expect(expectExit(await sandbox.run(['secrets', 'tune', '-description=legacy stuff', 'kv1/']), 0).stdout).toBe(
      'Success! Tuned the secrets engine at: kv1/\n',
    );

    const table = expectExit(await sandbox.run(['secrets', 'list']), 0).stdout.split('\n');
    expect(table[0]).toMatch(/^Path +Type +Accessor +Description$/);
    expect(table.filter((line) => line !== '').map((line) => line.split(/ {4,}/)[0])).toEqual(['Path', '----', 'kv1/', 'secret/', 'sys/']);
    expect(table.find((line) => line.startsWith('kv1/'))).toMatch(/^kv1\/ +kv +kv_\w+ +legacy stuff$/);

    const mounts = JSON.parse(expectExit(await sandbox.run(['secrets', 'list', '-format=json']), 0).stdout) as Record<
      string,
      { type: string; description: string; options: Record<string, string> | null; uuid: string }
    >;
    expect(Object.keys(mounts)).toEqual(['kv1/', 'secret/', 'sys/']);
    expect(mounts['kv1/']).toMatchObject({ type: 'kv', description: 'legacy stuff', options: { version: '1' } });
    expect(mounts['secret/']).toMatchObject({ type: 'kv', options: { version: '2' } });

    const detailed = expectExit(await sandbox.run(['secrets', 'list', '-detailed']), 0).stdout.split('\n');
    expect(detailed[0]).toMatch(/^Path +Plugin +Accessor +Default TTL +Max TTL +Force No Cache +Replication +Seal Wrap +External Entropy Access +Options +Description +UUID/);
    expect(detailed.find((line) => line.startsWith('kv1/'))).toContain(mounts['kv1/']?.uuid ?? 'missing uuid');

    const uuid = mounts['kv1/']?.uuid ?? 'missing uuid';
    expect(readFileSync(sandbox.storePath, 'utf8')).toContain(uuid);
    expect(expectExit(await sandbox.run(['secrets', 'disable', 'kv1/']), 0).stdout).toBe(
      'Success! Disabled the secrets engine (if it existed) at: kv1/\n',
    );
    expect(readFileSync(sandbox.storePath, 'utf8')).not.toContain(uuid);
    expect(Object.keys(JSON.parse(expectExit(await sandbox.run(['secrets', 'list', '-format=json']), 0).stdout) as object)).toEqual([
      'secret/',
      'sys/',
    ]);
    expectExit(await sandbox.run(['secrets', 'enable', '-path=kv1', 'kv-v1']), 0);
    expect(expectExit(await sandbox.run(['kv', 'get', 'kv1/app']), 2).stderr).toBe('No value found at kv1/app\n');
    expect(expectExit(await sandbox.run(['secrets', 'enable', '-path=kv1', 'kv']), 2).stderr).toContain('path is already in use at kv1/');
  });
});
