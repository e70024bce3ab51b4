import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { createSandbox, expectExit, expectNoSecrets, randomRootKey, type CliResult } from './run-cli.js';

// The encrypted store as the CLI meets it: keys, tampering, locks, init, rotate and rekey.

const secretValue = 'store-test-secret-5d2e';

// One line on stderr, naming the store, and no stack trace.
function expectOneLineNaming(result: CliResult, storePath: string): void {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
  expect(lines[0]).toContain(storePath);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).toBe('');
  expectNoSecrets(result.stderr, [secretValue], 'stderr');
}

describe('store errors through the CLI', () => {
  it('exits 3 for a wrong or malformed SECRETRUN_KEY, leaving the file untouched', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', `token=${secretValue}`]), 0);
    const before = readFileSync(sandbox.storePath);
    for (const key of [randomRootKey(), 'not base64!', randomBytes(16).toString('base64')]) {
      const read = expectExit(await sandbox.run(['kv', 'get', 'secret/app'], { env: { SECRETRUN_KEY: key } }), 3);
      expectOneLineNaming(read, sandbox.storePath);
      const write = expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'token=other'], { env: { SECRETRUN_KEY: key } }), 3);
      expectOneLineNaming(write, sandbox.storePath);
    }
    expect(readFileSync(sandbox.storePath).equals(before)).toBe(true);
  });

  it('exits 4 for a tampered, truncated, shortened or future-version file and never rewrites it', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', `token=${secretValue}`]), 0);
    expectExit(await sandbox.run(['kv', 'put', 'secret/other', 'x=1']), 0);
    const original = readFileSync(sandbox.storePath, 'utf8');
    const lines = original.split('\n');
    const entry = lines[1] ?? '';
    const at = entry.indexOf('"v":"') + 12;
    const tampered = [lines[0], `${entry.slice(0, at)}${entry[at] === 'A' ? 'B' : 'A'}${entry.slice(at + 1)}`, ...lines.slice(2)].join('\n');
    const variants: Record<string, string> = {
      tampered,
      truncated: original.slice(0, Math.floor(original.length / 2)),
      'line removed': [lines[0], ...lines.slice(2)].join('\n'),
      'future version': original.replace('"secretrun_store":1', '"secretrun_store":99'),
    };
    for (const [what, content] of Object.entries(variants)) {
      expect(content, what).not.toBe(original);
      writeFileSync(sandbox.storePath, content);
      const read = expectExit(await sandbox.run(['kv', 'get', 'secret/app']), 4);
      expectOneLineNaming(read, sandbox.storePath);
      const write = expectExit(await sandbox.run(['kv', 'put', 'secret/new', 'a=1']), 4);
      expectOneLineNaming(write, sandbox.storePath);
      expect(readFileSync(sandbox.storePath, 'utf8'), what).toBe(content);
      if (what === 'future version') expect(read.stderr).toContain('version 99');
    }
    writeFileSync(sandbox.storePath, original);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=token', 'secret/app']), 0).stdout).toBe(secretValue);
  });

  it('exits 5 while a live process holds the lock, and recovers the lock once it died', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'a=1']), 0);
    const holder = execa(process.execPath, ['-e', 'process.stdin.resume()'], { stdin: 'pipe', reject: false });
    try {
      const pid = holder.pid ?? -1;
      writeFileSync(`${sandbox.storePath}.lock`, JSON.stringify({ pid, host: hostname(), time: new Date().toISOString(), token: 'e2e' }));
      const started = Date.now();
      const locked = expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'a=2'], { env: { SECRETRUN_LOCK_TIMEOUT: '300ms' } }), 5);
      expect(Date.now() - started).toBeLessThan(5_000);
      expectOneLineNaming(locked, sandbox.storePath);
      // Readers do not take the lock.
      expect(expectExit(await sandbox.run(['kv', 'get', '-field=a', 'secret/app']), 0).stdout).toBe('1');
    } finally {
      holder.kill();
      await holder;
    }
    await waitFor('the lock holder to be gone', () => holder.exitCode !== null || holder.signalCode !== null);
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'a=3'], { env: { SECRETRUN_LOCK_TIMEOUT: '2s' } }), 0);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=a', 'secret/app']), 0).stdout).toBe('3');
    expect(existsSync(`${sandbox.storePath}.lock`)).toBe(false);
  });

  it('creates a key file outside the project on first write, finds it again, and says where it looked when it is gone', async () => {
    const sandbox = createSandbox({ key: false });
    const project = join(sandbox.dir, 'project');
    mkdirSync(project);
    const storePath = join(project, '.secretrun', 'store.json');
    const first = expectExit(await sandbox.run(['kv', 'put', 'secret/app', `token=${secretValue}`], { cwd: project }), 0);
    const keyDir = join(sandbox.configHome, 'secretrun', 'keys');
    const keyFiles = readdirSync(keyDir);
    expect(keyFiles).toHaveLength(1);
    const keyFile = join(keyDir, keyFiles[0] ?? '');
    expect(first.stderr).toContain(storePath);
    expect(first.stderr).toContain(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(keyFile.startsWith(project)).toBe(false);
    expect(readdirSync(join(project, '.secretrun'))).toEqual(['.gitattributes', 'store.json']);

    expect(expectExit(await sandbox.run(['kv', 'get', '-field=token', 'secret/app'], { cwd: project }), 0).stdout).toBe(secretValue);
    const second = expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'token=v2'], { cwd: project }), 0);
    expect(second.stderr).toBe('');

    const keyText = readFileSync(keyFile);
    writeFileSync(`${keyFile}.moved`, keyText);
    writeFileSync(keyFile, '');
    const bad = expectExit(await sandbox.run(['kv', 'get', 'secret/app'], { cwd: project }), 3);
    expect(bad.stderr).toContain(storePath);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    await import('node:fs/promises').then((fs) => fs.rm(keyFile));
    const missing = expectExit(await sandbox.run(['kv', 'get', 'secret/app'], { cwd: project }), 3);
    expect(missing.stderr).toContain(keyFile);
    expect(missing.stderr).toContain('SECRETRUN_KEY');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    // SECRETRUN_KEY_FILE points at a key file anywhere.
    expect(
      expectExit(await sandbox.run(['kv', 'get', '-field=token', 'secret/app'], { cwd: project, env: { SECRETRUN_KEY_FILE: `${keyFile}.moved` } }), 0).stdout,
    ).toBe('v2');
  });

  it('exits 4 for hostile scrypt parameters in a passphrase store header, without deriving a key', async () => {
    const sandbox = createSandbox({ key: false });
    const env = { SECRETRUN_PASSPHRASE: 'correct horse battery' };
    expectExit(await sandbox.run(['init', '-passphrase'], { env }), 0);
    const original = readFileSync(sandbox.storePath, 'utf8');
    for (const n of [2 ** 22, 3]) {
      writeFileSync(sandbox.storePath, original.replace('"n":32768', `"n":${n}`));
      const read = expectExit(await sandbox.run(['kv', 'get', 'secret/app'], { env }), 4);
      expectOneLineNaming(read, sandbox.storePath);
      expect(read.stderr).toContain(`scrypt parameters N=${n}`);
    }
  });

  it('init creates a store once; operator rotate and rekey keep secrets readable', async () => {
    const sandbox = createSandbox({ key: false });
    const init = expectExit(await sandbox.run(['init']), 0);
    expect(init.stdout).toBe(`Success! Created the store at: ${sandbox.storePath}\n`);
    expect(init.stderr).toContain(join(sandbox.configHome, 'secretrun', 'keys'));
    const again = await sandbox.run(['init']);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toContain(sandbox.storePath);
    expect(again.stderr).toContain('already');

    expectExit(await sandbox.run(['kv', 'put', 'secret/before', `token=${secretValue}`]), 0);
    expect(expectExit(await sandbox.run(['operator', 'rotate']), 0).stdout).toContain('key term 2');
    expectExit(await sandbox.run(['kv', 'put', 'secret/after', 'token=after-rotate']), 0);
    const keysDir = join(sandbox.configHome, 'secretrun', 'keys');
    const oldKey = readFileSync(join(keysDir, readdirSync(keysDir)[0] ?? ''), 'utf8');
    const rekey = expectExit(await sandbox.run(['operator', 'rekey']), 0);
    expect(rekey.stdout).toContain(`Success! Rekeyed ${sandbox.storePath}`);
    expect(rekey.stdout).toContain('new writes use key term 3');
    const newKey = readFileSync(join(keysDir, readdirSync(keysDir)[0] ?? ''), 'utf8');
    expect(newKey).not.toBe(oldKey);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=token', 'secret/before']), 0).stdout).toBe(secretValue);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=token', 'secret/after']), 0).stdout).toBe('after-rotate');
    expectExit(await sandbox.run(['kv', 'put', 'secret/later', 'token=x']), 0);
    expectExit(await sandbox.run(['kv', 'get', 'secret/before'], { env: { SECRETRUN_KEY: oldKey.trim() } }), 3);
  });
});
