// A runner killed with SIGKILL cannot stop its command itself; its watchdog does, so a command
// holding secrets in its environment does not run on unsupervised (real processes).
import { execFileSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { watchdogName } from '../../src/runner/orphan-guard.js';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
import { fixture, startRunner, writeSetup } from './runner-process.js';

let driver = '';
beforeEach(async () => {
  driver = await bundleFixture('test/fixtures/runner/driver.ts');
});

// The pids of the watchdogs whose parent is `parent` (any parent when undefined).
function watchdogsOf(parent: number | undefined): number[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && match[3]?.includes(watchdogName) === true && (parent === undefined || Number(match[2]) === parent))
    .map((match) => Number(match?.[1]));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the orphan guard', () => {
  it('sends the stop signal to the command when the runner is killed with SIGKILL', async () => {
    // mask: false, so the command writes to the test's pipe directly and is heard after the runner is gone.
    const run = startRunner(driver, writeSetup('mask: false\n', {}), [process.execPath, fixture('trap-signals.mjs')]);
    await run.waitForOutput('ready');
    const [command] = run.commandPids();
    const runner = run.child.pid ?? 0;
    await waitFor('the watchdog', () => watchdogsOf(runner).length === 1, { intervalMs: 50 });
    run.child.kill('SIGKILL');
    await waitFor('the command to get SIGTERM', () => run.stdout().includes('got SIGTERM'));
    await waitFor('the command to exit', () => !alive(command ?? 0));
  });

  it('exits with the runner when the run ends in order', async () => {
    const run = startRunner(driver, writeSetup('mask: false\n', {}), [process.execPath, fixture('trap-signals.mjs')]);
    await run.waitForOutput('ready');
    const runner = run.child.pid ?? 0;
    await waitFor('the watchdog', () => watchdogsOf(runner).length === 1, { intervalMs: 50 });
    const [watchdog] = watchdogsOf(runner);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    await waitFor('the watchdog to exit', () => !alive(watchdog ?? 0));
  });
});
