// An edited manifest or dotenv file while the command runs (real processes, the bundled driver,
// which reads the manifest again as the CLI does): applied as a secret change is when valid,
// reported and ignored when not.
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
import { fixture, startRunner, writeSetup } from './runner-process.js';

const digest = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 12);
const node = process.execPath;
const secrets = { 'secret/myapp/db': { version: 1, data: { password: 'pw-one-1234', host: 'db.internal' } } };
let driver = '';

beforeEach(async () => {
  driver = await bundleFixture('test/fixtures/runner/driver.ts');
});

// Saves `text` as an editor would (temp file, rename) until `done` holds: the runner starts
// watching only once its command runs, so a save before that is saved again.
async function saveUntil(file: string, text: string, what: string, done: () => boolean): Promise<void> {
  let saves = 0;
  await waitFor(
    what,
    () => {
      if (done()) return true;
      if (saves === 0 || saves % 10 === 0) {
        writeFileSync(`${file}.tmp`, text);
        renameSync(`${file}.tmp`, file);
      }
      saves += 1;
      return false;
    },
    { intervalMs: 50 },
  );
}

const base = 'mask: false\ndebounce: 0s\nenv:\n  DB_PASSWORD: secret/myapp/db#password\n';

describe('an edited manifest', () => {
  it('is applied: a variable added restarts the command with it', async () => {
    const setup = writeSetup(base, secrets);
    const run = startRunner(driver, setup, [node, fixture('print-env.mjs'), '--wait', 'DB_PASSWORD', 'DB_HOST']);
    await run.waitForOutput('ready');
    expect(run.stdout()).toContain('DB_HOST unset');
    await saveUntil(setup.manifestFile, `${base}  DB_HOST: secret/myapp/db#host\n`, 'the restart with DB_HOST', () => run.stdout().includes(`DB_HOST=${digest('db.internal')}`));
    await waitFor('the new command', () => run.commandPids().length === 2);
    expect(run.stderr()).toBe(`secretrun: ${setup.manifestFile} changed\nsecretrun: DB_HOST changed, restarting\n`);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('that is not valid is reported, and the command keeps running on the last valid one', async () => {
    const setup = writeSetup(base, secrets);
    const run = startRunner(driver, setup, [node, fixture('print-env.mjs'), '--wait', 'DB_PASSWORD', 'DB_HOST']);
    await run.waitForOutput('ready');
    await saveUntil(setup.manifestFile, `${base}  1BAD: secret/myapp/db#host\n`, 'the error', () => run.stderr().includes('not valid'));
    expect(run.stderr()).toBe(
      `secretrun: ${setup.manifestFile} changed but is not valid; keeping the last valid manifest:\n  ${setup.manifestFile}:5:3: env: invalid variable name '1BAD' (expected a variable name [A-Za-z_][A-Za-z0-9_]*)\n`,
    );
    expect(run.commandPids()).toHaveLength(1);
    expect(run.child.exitCode).toBeNull();

    // The next valid edit is applied.
    await saveUntil(setup.manifestFile, `${base}  DB_HOST: secret/myapp/db#host\n`, 'the restart', () => run.stdout().includes(`DB_HOST=${digest('db.internal')}`));
    expect(run.commandPids()).toHaveLength(2);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('sends reload_signal with on_change: signal', async () => {
    const manifest = `on_change: signal\nreload_signal: SIGUSR2\n${base}`;
    const setup = writeSetup(manifest, secrets);
    const run = startRunner(driver, setup, [node, fixture('trap-signals.mjs')]);
    await run.waitForOutput('ready');
    await saveUntil(setup.manifestFile, `${manifest}  DB_HOST: secret/myapp/db#host\n`, 'the signal', () => run.stdout().includes('got SIGUSR2'));
    expect(run.stderr()).toContain('DB_HOST changed, sending SIGUSR2');
    expect(run.commandPids()).toHaveLength(1);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });
});

describe('an edited dotenv file', () => {
  it('restarts the command with its new values', async () => {
    const setup = writeSetup(`dotenv: [app.env]\n${base}`, secrets);
    const dotenv = join(setup.dir, 'app.env');
    writeFileSync(dotenv, 'LOG_LEVEL=info\n');
    const run = startRunner(driver, setup, [node, fixture('print-env.mjs'), '--wait', 'LOG_LEVEL']);
    await run.waitForOutput(`LOG_LEVEL=${digest('info')}`);
    await saveUntil(dotenv, 'LOG_LEVEL=debug\n', 'the restart', () => run.stdout().includes(`LOG_LEVEL=${digest('debug')}`));
    expect(run.stderr()).toBe('secretrun: LOG_LEVEL changed, restarting\n');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });
});
