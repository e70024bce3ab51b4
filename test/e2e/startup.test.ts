// The start-up tricks of src/startup/ through the built binary: each one can be turned off
// (SECRETRUN_STARTUP_OFF, for bench/runner.mjs tricks) and the run is the same without it.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit } from './run-cli.js';

const cacheFiles = (home: string): string[] => {
  const dir = join(home, '.cache', 'secretrun');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.bin') || name.endsWith('.json')).map((name) => (name.endsWith('.json') ? 'manifest entry' : name)).sort();
};

describe('start-up tricks', () => {
  it('caches code per command group and the manifest, and each can be turned off without changing the run', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'token=tok-1234567'], { env: { SECRETRUN_STARTUP_OFF: 'code-cache' } }), 0);
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'mask: false\nenv:\n  TOKEN: secret/app#token\n');
    const run = ['run', '--once', '--', 'sh', '-c', 'echo "token: $TOKEN"'];
    const expected = 'token: tok-1234567\n';

    const off = (tricks: string) => ({ env: { SECRETRUN_STARTUP_OFF: tricks } });
    expect(expectExit(await sandbox.run(run, off('code-cache,manifest-cache,early-open,runner-bundle')), 0).stdout).toBe(expected);
    expect(cacheFiles(sandbox.dir)).toEqual([]);

    expect(expectExit(await sandbox.run(run), 0).stdout).toBe(expected);
    // The manifest was new: it was parsed by a lazy bundle, whose code is cached too.
    expect(cacheFiles(sandbox.dir)).toEqual(['code-cache-run-lazy-parse-manifest.bin', 'code-cache-run.bin', 'manifest entry']);

    // The whole CLI in place of the runner's bundle has a code cache of its own.
    expect(expectExit(await sandbox.run(run, off('runner-bundle')), 0).stdout).toBe(expected);
    expect(cacheFiles(sandbox.dir)).toContain('code-cache-run-cli.bin');
    // where `run` is a lazy bundle (only the runner's bundle holds the runner from the start).
    expect(cacheFiles(sandbox.dir)).toContain('code-cache-run-cli-lazy-run-command.bin');
    // And once every cache is there, a run that uses them all is still the same run.
    expect(expectExit(await sandbox.run(run), 0).stdout).toBe(expected);
  });
});
