// What the runner loads before its command starts: chokidar (the manifest's watcher) and execa
// (the hooks) only after it started, and only when the run needs them; `--once` without hooks
// never loads either.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { cliEntry, createSandbox, expectExit } from './run-cli.js';

const recorder = fileURLToPath(new URL('../fixtures/startup/record-loads.cjs', import.meta.url));

interface LoadRecord {
  at: 'spawn' | 'exit';
  command?: string;
  loaded: string[];
}

interface Running {
  readonly dir: string;
  readonly runner: ResultPromise;
  stdout(): string;
}

// Runs the runner with the recorder preloaded; returns the bundles loaded when it spawned the
// command (`sh`) and at its exit. `whileRunning` acts on the run until it ends it.
async function recordRun(manifest: string, args: string[], whileRunning?: (running: Running) => Promise<void>): Promise<{ atSpawn: string[]; atExit: string[]; code: number | undefined }> {
  const sandbox = createSandbox();
  expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'token=tok-1234567']), 0);
  writeFileSync(join(sandbox.dir, 'secretrun.yaml'), manifest);
  // A run before fills the manifest cache, as the runs of a project do.
  expectExit(await sandbox.run(['run', '--once', '--', 'true']), 0);
  const records = join(sandbox.dir, 'loads.jsonl');
  const runner = execa(process.execPath, ['-r', recorder, cliEntry(), ...args], { cwd: sandbox.dir, env: { ...sandbox.env, RECORD_LOADS: records }, extendEnv: false, reject: false });
  let stdout = '';
  runner.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  if (whileRunning) {
    try {
      await whileRunning({ dir: sandbox.dir, runner, stdout: () => stdout });
    } finally {
      runner.kill('SIGTERM');
    }
  }
  const result = await runner;
  const lines = (existsSync(records) ? readFileSync(records, 'utf8') : '').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LoadRecord);
  return {
    atSpawn: lines.find((line) => line.at === 'spawn' && line.command === 'sh')?.loaded ?? ['<the command was not spawned>'],
    atExit: lines.find((line) => line.at === 'exit')?.loaded ?? ['<no exit recorded>'],
    code: result.exitCode,
  };
}

const manifest = 'mask: false\ndebounce: 0s\nenv:\n  TOKEN: secret/app#token\n';

describe('the runner', () => {
  it('loads only its own bundle before the command starts, and for run --once without hooks nothing after', async () => {
    const run = await recordRun(manifest, ['run', '--once', '--', 'sh', '-c', 'echo ran']);
    expect(run.code).toBe(0);
    expect(run.atSpawn).toEqual(['dist/start.cjs']);
    expect(run.atExit).toEqual(['dist/start.cjs']);
  });

  it('loads the manifest watcher (chokidar) once the command started', async () => {
    const run = await recordRun(manifest, ['run', '--', 'sh', '-c', 'echo "started $EXTRA"; exec sleep 30'], async ({ dir, stdout }) => {
      await waitFor('the command', () => stdout().includes('started'));
      // Saved until the restart shows the watcher is in place.
      await waitFor(
        'the restart with EXTRA',
        () => {
          writeFileSync(join(dir, 'secretrun.yaml'), `${manifest}  EXTRA: secret/app#token\n`);
          return stdout().includes('started tok-1234567');
        },
        { intervalMs: 300 },
      );
    });
    expect(run.atSpawn).toEqual(['dist/start.cjs']);
    // The edited manifest was parsed, as every new text is.
    expect(run.atExit).toEqual(['dist/start.cjs', 'dist/lazy/file-watch.cjs', 'dist/lazy/parse-manifest.cjs']);
  });

  it('loads the hooks (execa) only for a manifest that has them, after start-up', async () => {
    const run = await recordRun(`${manifest}hooks:\n  pre_start: ["true"]\n`, ['run', '--once', '--', 'sh', '-c', 'echo ran']);
    expect(run.code).toBe(0);
    expect(run.atExit).toEqual(['dist/start.cjs', 'dist/lazy/hook-runner.cjs']);
  });
});
