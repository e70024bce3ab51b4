// The runner ends when its command ends, even when a process the command left in the
// background still holds the command's output pipe (the runner as a real process).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
import { fixture, startRunner, writeSecrets, writeSetup, type RunnerProcess } from './runner-process.js';

let driver = '';
const background: number[] = [];

beforeEach(async () => {
  driver = await bundleFixture('test/fixtures/runner/driver.ts');
});

afterEach(() => {
  for (const pid of background.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

// The command: leaves `sleep 600` in the background holding its stdout and stderr, prints
// the sleeper's pid, and exits 3.
const leavesSleeper = ['sh', '-c', 'sleep 600 & echo "background $!"; exit 3'];
// Masked with a value to mask, so the command's output comes through pipes the runner reads
// (with nothing to mask, the command writes to the runner's descriptors itself).
const masked = 'mask: true\nenv:\n  VALUE: secret/app#value\n';
const secret = { 'secret/app': { version: 1, data: { value: 'first-value' } } };

async function sleeperOf(run: RunnerProcess, nth = 1): Promise<number> {
  await waitFor(`background process ${nth}`, () => [...run.stdout().matchAll(/background \d+/g)].length >= nth);
  const pid = Number([...run.stdout().matchAll(/background (\d+)/g)][nth - 1]?.[1]);
  background.push(pid);
  return pid;
}

// Resolves with the runner's exit code, or fails when it is still running after `timeoutMs`.
async function endOf(run: RunnerProcess, timeoutMs = 5_000): Promise<number | null> {
  let code: number | null | undefined;
  void run.exited.then((end) => (code = end.code));
  await waitFor('the runner to exit', () => code !== undefined, { timeoutMs });
  return code ?? null;
}

describe('a runner whose command left a process holding its output', () => {
  it('exits with the command\'s code once the command exited (masked, so through pipes)', async () => {
    const run = startRunner(driver, writeSetup(masked, secret), leavesSleeper);
    const sleeper = await sleeperOf(run);
    expect(await endOf(run)).toBe(3);
    // The sleeper is not the runner's to end: it is still there, only its output is no longer read.
    expect(() => process.kill(sleeper, 0)).not.toThrow();
  });

  it('ends on SIGTERM after the command exited, with the command\'s code', async () => {
    const run = startRunner(driver, writeSetup(masked, secret), leavesSleeper);
    await sleeperOf(run);
    run.child.kill('SIGTERM');
    expect(await endOf(run)).toBe(3);
  });

  it('restarts the command on a change without waiting for that process', async () => {
    const secrets = { 'secret/app': { version: 1, data: { value: 'first-value' } } };
    const setup = writeSetup('mask: true\ndebounce: 10ms\nenv:\n  VALUE: secret/app#value\n', secrets);
    const command = ['sh', '-c', `sleep 600 & echo "background $!"; exec "${process.execPath}" "${fixture('trap-signals.mjs')}"`];
    const run = startRunner(driver, setup, command);
    await sleeperOf(run, 1);
    await run.waitForOutput('ready');
    writeSecrets(setup.sourceFile, { 'secret/app': { version: 2, data: { value: 'second-value' } } });
    await sleeperOf(run, 2);
    await waitFor('the restarted command', () => (run.commandPids().length === 2 ? true : undefined));
    run.child.kill('SIGTERM');
    expect(await endOf(run)).toBe(0);
    expect(run.stderr()).toBe('secretrun: VALUE changed, restarting\n');
  });
});
