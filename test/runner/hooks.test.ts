// hooks.pre_start and hooks.on_change as real commands beside the supervised one (real
// processes, the bundled driver): their environment, output, exit codes, timeouts and signals.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
import { fixture, startRunner, writeSecrets, writeSetup } from './runner-process.js';

const digest = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 12);
const node = process.execPath;
const secrets = { 'secret/myapp/db': { version: 1, data: { password: 'pw-one-1234' } } };
const env = 'env:\n  DB_PASSWORD: secret/myapp/db#password\n';
let driver = '';

beforeEach(async () => {
  driver = await bundleFixture('test/fixtures/runner/driver.ts');
});

// Whether a process is alive (signal 0 only checks).
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// The pid a hook wrote to `file`, once it did.
async function pidIn(file: string): Promise<number> {
  return waitFor(`a pid in ${file}`, () => (existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined));
}

describe('hooks.pre_start', () => {
  it('runs before the command, with its environment and without the runner credentials, its output masked', async () => {
    const hook = `'echo "migrating with $DB_PASSWORD, key \${SECRETRUN_KEY:-removed}"'`;
    const setup = writeSetup(`mask: true\n${env}hooks:\n  pre_start: ${hook}\n`, secrets);
    const run = startRunner(driver, setup, [node, fixture('print-argv.mjs'), 'started'], { ...process.env, SECRETRUN_KEY: 'runner-key-5678' });
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toBe('migrating with <concealed by secretrun>, key removed\n["started"]\n');
    expect(run.stderr()).toBe('');
  });

  it('runs a list as the program and its arguments, without a shell', async () => {
    const setup = writeSetup(`mask: false\n${env}hooks:\n  pre_start: [printf, "%s|", two words, $HOME, "*"]\n`, secrets);
    const run = startRunner(driver, setup, [node, fixture('print-argv.mjs')]);
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toBe('two words|$HOME|*|[]\n');
  });

  it('that fails ends the run with its exit code and one line, before the command starts', async () => {
    const setup = writeSetup(`${env}hooks:\n  pre_start: echo migrating; exit 3\n`, secrets);
    const run = startRunner(driver, setup, [node, fixture('print-argv.mjs'), 'started']);
    expect((await run.exited).code).toBe(3);
    expect(run.stdout()).toBe('migrating\n');
    expect(run.stderr()).toBe('secretrun: hooks.pre_start (echo migrating; exit 3) exited with 3\n');

    const missing = startRunner(driver, writeSetup(`${env}hooks:\n  pre_start: [/nonexistent/migrate]\n`, secrets), [node, fixture('print-argv.mjs')]);
    expect((await missing.exited).code).toBe(127);
    expect(missing.stderr()).toBe('secretrun: hooks.pre_start (/nonexistent/migrate) could not start (ENOENT)\n');
  });

  it('that runs past its timeout is stopped, SIGKILL after kill_timeout when it ignores SIGTERM, and the run ends with 124', async () => {
    const setup = writeSetup('', secrets);
    const pidFile = join(setup.dir, 'hook.pid');
    writeFileSync(setup.manifestFile, `kill_timeout: 200ms\n${env}hooks:\n  pre_start: { command: 'trap "" TERM; echo $$ > ${pidFile}; while :; do sleep 0.05; done', timeout: 300ms }\n`);
    const run = startRunner(driver, setup, [node, fixture('print-argv.mjs'), 'started']);
    expect((await run.exited).code).toBe(124);
    expect(run.stderr()).toMatch(/^secretrun: hooks\.pre_start \(.*\) timed out after 300ms\n$/);
    expect(run.stdout()).toBe('');
    const pid = await pidIn(pidFile);
    await waitFor('the hook to be gone', () => !alive(pid));
  });

  it('is stopped when a terminating signal ends the run during it, and the command never starts', async () => {
    const setup = writeSetup('', secrets);
    const pidFile = join(setup.dir, 'hook.pid');
    writeFileSync(setup.manifestFile, `${env}hooks:\n  pre_start: echo $$ > ${pidFile}; exec sleep 30\n`);
    const run = startRunner(driver, setup, [node, fixture('print-argv.mjs'), 'started']);
    const pid = await pidIn(pidFile);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
    expect(run.stdout()).toBe('');
    await waitFor('the hook to be gone', () => !alive(pid));
  });
});

describe('hooks.on_change', () => {
  it('runs before the restart, with the new values and SECRETRUN_CHANGED', async () => {
    const hook = `[${node}, ${fixture('print-env.mjs')}, DB_PASSWORD, SECRETRUN_CHANGED]`;
    const setup = writeSetup(`mask: false\ndebounce: 0s\n${env}hooks:\n  on_change: ${hook}\n`, secrets);
    const run = startRunner(driver, setup, [node, fixture('print-env.mjs'), '--wait', 'DB_PASSWORD', 'SECRETRUN_CHANGED']);
    await run.waitForOutput('ready');
    writeSecrets(setup.sourceFile, { 'secret/myapp/db': { version: 2, data: { password: 'pw-two-5678' } } });
    await waitFor('the restarted command', () => run.commandPids().length === 2);
    const lines = run.stdout().split('\n');
    const [first, second] = run.commandPids();
    expect(lines).toEqual([
      `DB_PASSWORD=${digest('pw-one-1234')}`,
      'SECRETRUN_CHANGED unset',
      `ready ${first}`,
      // The hook, before the command is stopped and started again.
      `DB_PASSWORD=${digest('pw-two-5678')}`,
      `SECRETRUN_CHANGED=${digest('DB_PASSWORD')}`,
      `DB_PASSWORD=${digest('pw-two-5678')}`,
      'SECRETRUN_CHANGED unset',
      `ready ${second}`,
      '',
    ]);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('that fails keeps the change from being applied, until a later change finds it passing', async () => {
    const setup = writeSetup('', secrets);
    const passFile = join(setup.dir, 'flush-works');
    writeFileSync(setup.manifestFile, `mask: false\ndebounce: 0s\n${env}hooks:\n  on_change: test -f ${passFile}\n`);
    const run = startRunner(driver, setup, [node, fixture('print-env.mjs'), '--wait', 'DB_PASSWORD']);
    await run.waitForOutput('ready');
    writeSecrets(setup.sourceFile, { 'secret/myapp/db': { version: 2, data: { password: 'pw-two-5678' } } });
    await run.waitForOutput('not applied', 'stderr');
    expect(run.stderr()).toBe(`secretrun: hooks.on_change (test -f ${passFile}) exited with 1; the change is not applied, the command keeps its last values\n`);
    expect(run.commandPids()).toHaveLength(1);

    writeFileSync(passFile, '');
    writeSecrets(setup.sourceFile, { 'secret/myapp/db': { version: 3, data: { password: 'pw-three-9012' } } });
    await run.waitForOutput(`DB_PASSWORD=${digest('pw-three-9012')}`);
    await waitFor('the restarted command', () => run.commandPids().length === 2);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });
});
