import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit, type CliResult } from './run-cli.js';

// Inputs that cannot be trusted to be small (a key file, the store, the manifest, @file and
// stdin of kv put) are bounded: /dev/zero or a huge file gets a one-line error naming the
// file and the limit at once, instead of being read for seconds into gigabytes of memory.

// One error line (and at most the command's usual hint line), with no stack trace.
function expectOneLine(result: CliResult, ...parts: string[]): void {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  for (const part of parts) expect(lines[0]).toContain(part);
  expect(result.stdout).toBe('');
}

describe('bounded inputs', () => {
  it('refuses a key file larger than 4 KiB (exit 3)', async () => {
    const sandbox = createSandbox({ key: false });
    expectExit(await sandbox.run(['init']), 0);
    const result = expectExit(await sandbox.run(['kv', 'get', 'secret/app'], { env: { SECRETRUN_KEY_FILE: '/dev/zero' } }), 3);
    expectOneLine(result, 'key file /dev/zero', 'larger than 4 KiB');
  });

  it('refuses a store that is not a regular file or is larger than 256 MiB (exit 5)', async () => {
    const sandbox = createSandbox();
    const device = expectExit(await sandbox.run(['kv', 'get', '-store=/dev/zero', 'secret/app']), 5);
    expectOneLine(device, 'store /dev/zero', 'not a regular file');
    const huge = join(sandbox.dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 2 ** 31);
    const large = expectExit(await sandbox.run(['kv', 'get', `-store=${huge}`, 'secret/app']), 5);
    expectOneLine(large, `store ${huge}`, 'larger than 256 MiB');
  });

  it('refuses a manifest larger than 4 MiB (exit 6)', async () => {
    const sandbox = createSandbox();
    const result = expectExit(await sandbox.run(['check', '--manifest', '/dev/zero']), 6);
    expectOneLine(result, 'manifest /dev/zero', 'larger than 4 MiB');
  });

  it('refuses kv put and import data from a file or stdin larger than 32 MiB (exit 1), writing nothing', async () => {
    const sandbox = createSandbox();
    const file = expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'v=@/dev/zero']), 1);
    expectOneLine(file, '/dev/zero is larger than 32 MiB');
    const json = expectExit(await sandbox.run(['kv', 'put', 'secret/app', '@/dev/zero']), 1);
    expectOneLine(json, '/dev/zero is larger than 32 MiB');
    const env = { ...sandbox.env, PATH: `${sandbox.binDir()}:${sandbox.env['PATH']}` };
    for (const arg of ['v=-', '-']) {
      const piped = await execa('sh', ['-c', `secretrun kv put secret/app ${arg} < /dev/zero`], { cwd: sandbox.dir, env, extendEnv: false, reject: false });
      const result = expectExit({ stdout: String(piped.stdout), stderr: String(piped.stderr), exitCode: piped.exitCode ?? -1 }, 1);
      expectOneLine(result, 'stdin is larger than 32 MiB');
    }
    // Nothing was written: not even the store was created.
    expect(existsSync(sandbox.storePath)).toBe(false);
    const imported = expectExit(await sandbox.run(['import', '/dev/zero', 'secret/app']), 1);
    expectOneLine(imported, '/dev/zero is larger than 32 MiB');
    const piped = await execa('sh', ['-c', 'secretrun import - secret/app < /dev/zero'], { cwd: sandbox.dir, env, extendEnv: false, reject: false });
    expectOneLine({ stdout: String(piped.stdout), stderr: String(piped.stderr), exitCode: piped.exitCode ?? -1 }, 'stdin is larger than 32 MiB');
    expect(piped.exitCode).toBe(1);
  });
});
