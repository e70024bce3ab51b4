// The CLI's runner reads an edited manifest again with its own flags on top: -e variables and
// -mask stay as given on the command line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { cliEntry, createSandbox, expectExit } from './run-cli.js';

describe('secretrun run with an edited manifest', () => {
  it('restarts the command with the new manifest and the command line\'s -e variables', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'token=tok-1234567', 'host=db.internal']), 0);
    const manifest = 'debounce: 0s\nenv:\n  TOKEN: secret/app#token\n';
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), manifest);
    const runner = execa(process.execPath, [cliEntry(), '-mask=off', '-e', 'FROM_FLAG=secret/app#host', '--', 'sh', '-c', 'echo "run: $TOKEN $FROM_FLAG ${DB_HOST:-none}"; exec sleep 30'], {
      cwd: sandbox.dir,
      env: sandbox.env,
      extendEnv: false,
      reject: false,
    });
    let stdout = '';
    runner.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await waitFor('the command', () => stdout.includes('run: tok-1234567 db.internal none'));
      await waitFor(
        'the restart',
        () => {
          writeFileSync(join(sandbox.dir, 'secretrun.yaml'), `${manifest}  DB_HOST: secret/app#host\n`);
          return stdout.includes('run: tok-1234567 db.internal db.internal');
        },
        { intervalMs: 300 },
      );
    } finally {
      runner.kill('SIGTERM');
    }
    const result = await runner;
    expect(result.exitCode).toBe(143);
    // execa strips the last newline.
    expect(String(result.stderr)).toBe('secretrun: secretrun.yaml changed\nsecretrun: DB_HOST changed, restarting');
  });

  it('reads the edited manifest for the environment the run chose', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/dev/app', 'token=dev-token-1']), 0);
    expectExit(await sandbox.run(['kv', 'put', 'secret/prod/app', 'token=prod-token-1', 'host=prod.internal']), 0);
    const manifest = 'debounce: 0s\nenvironments:\n  dev:\n  prod:\nenv:\n  TOKEN: secret/{{env}}/app#token\n';
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), manifest);
    const runner = execa(process.execPath, [cliEntry(), '-env=prod', '-mask=off', '--', 'sh', '-c', 'echo "run: $TOKEN ${DB_HOST:-none}"; exec sleep 30'], {
      cwd: sandbox.dir,
      env: sandbox.env,
      extendEnv: false,
      reject: false,
    });
    let stdout = '';
    runner.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await waitFor('the command', () => stdout.includes('run: prod-token-1 none'));
      await waitFor(
        'the restart',
        () => {
          writeFileSync(join(sandbox.dir, 'secretrun.yaml'), `${manifest}  DB_HOST: secret/{{env}}/app#host\n`);
          return stdout.includes('run: prod-token-1 prod.internal');
        },
        { intervalMs: 300 },
      );
    } finally {
      runner.kill('SIGTERM');
    }
    expect((await runner).exitCode).toBe(143);
  });
});
