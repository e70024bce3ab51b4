// End-to-end: the runner as a real process (bundled driver) running real fixture programs.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/parse-manifest.js';
import { runSupervised } from '../../src/library/runner-api.js';
import { createJsonFileSource } from '../fixtures/runner/json-file-source.js';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
import { fixture, readCount, startRunner, writeSecrets, writeSetup } from './runner-process.js';

const digest = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 12);
const node = process.execPath;
let driver = '';

// makeTempDir removes the bundle after every test, so each test bundles afresh (esbuild is fast).
beforeEach(async () => {
  driver = await bundleFixture('test/fixtures/runner/driver.ts');
});

const dbSecret = { 'secret/myapp/db': { version: 1, data: { username: 'app-user', password: 'pw-one-1234', host: 'db.internal' } } };

describe('runSupervised (real processes)', () => {
  it('injects references, defaults, templates and expansions', async () => {
    const setup = writeSetup(
      `mask: false
env:
  DB_PASSWORD: secret/myapp/db#password
  PINNED: secret/myapp/db#password@1
  WITH_DEFAULT: { ref: secret/missing#x, default: fallback-value }
  MAYBE: { ref: secret/missing#x, optional: true }
  DATABASE_URL: { template: "postgres://{{ secret/myapp/db#username }}:{{secret/myapp/db#password}}@{{ secret/myapp/db#host }}/app" }
expand:
  - { path: secret/myapp/config, prefix: APP_ }
`,
      { ...dbSecret, 'secret/myapp/config': { data: { 'log-level': 'debug', port: 8080 } } },
    );
    const run = startRunner(driver, setup, [node, fixture('print-env.mjs'), 'DB_PASSWORD', 'PINNED', 'WITH_DEFAULT', 'MAYBE', 'DATABASE_URL', 'APP_LOG_LEVEL', 'APP_PORT']);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stdout().split('\n')).toEqual([
      `DB_PASSWORD=${digest('pw-one-1234')}`,
      `PINNED=${digest('pw-one-1234')}`,
      `WITH_DEFAULT=${digest('fallback-value')}`,
      'MAYBE unset',
      `DATABASE_URL=${digest('postgres://app-user:pw-one-1234@db.internal/app')}`,
      `APP_LOG_LEVEL=${digest('debug')}`,
      `APP_PORT=${digest('8080')}`,
      '',
    ]);
  });

  it('passes argv exactly: spaces, quotes, unicode, globs and $ untouched', async () => {
    const setup = writeSetup('env: {}\n', {});
    const args = ['two words', `it's "quoted"`, 'ünïcødé ✓', '*', '$HOME', '', '--flag=a b'];
    const run = startRunner(driver, setup, [node, fixture('print-argv.mjs'), ...args]);
    expect((await run.exited).code).toBe(0);
    expect(JSON.parse(run.stdout())).toEqual(args);
  });

  it('exits with the child code, and 128+signal when the child is killed', async () => {
    const setup = writeSetup('once: true\n', {});
    const three = startRunner(driver, setup, [node, fixture('exit-with.mjs'), '3']);
    const killed = startRunner(driver, setup, [node, fixture('exit-with.mjs'), 'SIGKILL']);
    const terminated = startRunner(driver, setup, [node, fixture('exit-with.mjs'), 'SIGTERM']);
    expect((await three.exited).code).toBe(3);
    expect((await killed.exited).code).toBe(137);
    expect((await terminated.exited).code).toBe(143);
  });

  it('exits 127 when the command does not exist', async () => {
    const setup = writeSetup('once: true\n', {});
    const run = startRunner(driver, setup, ['/nonexistent/secretrun-no-such-command']);
    expect((await run.exited).code).toBe(127);
    expect(run.stderr()).toContain('cannot start command: ENOENT: /nonexistent/secretrun-no-such-command');
  });

  it('forwards every forwarded signal to the child, SIGUSR1 without opening an inspector', async () => {
    const setup = writeSetup('mask: false\n', {});
    const run = startRunner(driver, setup, [node, fixture('trap-signals.mjs')]);
    await run.waitForOutput('ready');
    for (const signal of ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGCONT', 'SIGALRM'] as const) {
      run.child.kill(signal);
      await run.waitForOutput(`got ${signal}`);
    }
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toContain('got SIGTERM');
    expect(run.stderr()).not.toContain('Debugger');
  });

  it('fails before starting the command when required references are missing, naming all of them', async () => {
    const setup = writeSetup(
      `env:
  DB_PASSWORD: secret/myapp/db#password
  API_KEY: secret/api-keys/openai#api_key
  TOKEN: secret/locked#token
  NAME: secret/myapp/db#nosuchfield
`,
      { ...dbSecret, 'secret/locked': { data: { token: 'tok-secret-9' } }, $forbidden: ['secret/locked'] },
    );
    const run = startRunner(driver, setup, [node, fixture('print-argv.mjs'), 'started']);
    expect((await run.exited).code).toBe(65);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toBe(
      `secretrun: cannot resolve 3 references:
  API_KEY: secret/api-keys/openai#api_key: no secret at this path (${setup.manifestFile}:3:3)
  TOKEN: secret/locked#token: permission denied (1 error occurred: permission denied) (${setup.manifestFile}:4:3)
  NAME: secret/myapp/db#nosuchfield: no field 'nosuchfield' in this secret (fields: username, password, host) (${setup.manifestFile}:5:3)
`,
    );
  });

  it('masks secret values in output, also when split across chunks', async () => {
    const setup = writeSetup('env:\n  DB_PASSWORD: secret/myapp/db#password\n', dbSecret);
    const run = startRunner(driver, setup, [node, fixture('split-write.mjs'), 'DB_PASSWORD', '3']);
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toBe('before <concealed by secretrun> after\n');
  });

  it('strips runner credentials from the child unless kept', async () => {
    const credentials = { SECRETRUN_KEY: 'k', SECRETRUN_KEY_FILE: '/k', SECRETRUN_PASSPHRASE: 'p', VAULT_TOKEN: 't', KEEP_ME: '1' };
    const stripped = startRunner(driver, writeSetup('mask: false\n', {}), [node, fixture('print-names.mjs')], { ...process.env, ...credentials });
    const kept = startRunner(driver, writeSetup('mask: false\nkeep_credentials: [VAULT_TOKEN]\n', {}), [node, fixture('print-names.mjs')], {
      ...process.env,
      ...credentials,
    });
    await Promise.all([stripped.exited, kept.exited]);
    const strippedNames = JSON.parse(stripped.stdout()) as string[];
    const keptNames = JSON.parse(kept.stdout()) as string[];
    expect(strippedNames).toContain('KEEP_ME');
    for (const name of Object.keys(credentials).filter((name) => name !== 'KEEP_ME')) expect(strippedNames).not.toContain(name);
    expect(keptNames).toContain('VAULT_TOKEN');
    expect(keptNames).not.toContain('SECRETRUN_KEY');
  });

  it('prints ::add-mask:: lines under GitHub Actions before the command starts', async () => {
    const setup = writeSetup('env:\n  DB_PASSWORD: secret/myapp/db#password\n', dbSecret);
    const run = startRunner(driver, setup, [node, fixture('print-argv.mjs'), 'x'], { ...process.env, GITHUB_ACTIONS: 'true' });
    expect((await run.exited).code).toBe(0);
    // On stderr, which Actions reads as it reads stdout (output-routing.test.ts says why).
    expect(run.stderr()).toBe('::add-mask::pw-one-1234\n');
    expect(run.stdout()).toBe('["x"]\n');
  });

  it('restarts the command with the new environment when a referenced secret changes', async () => {
    const setup = writeSetup('mask: false\ndebounce: 10ms\nenv:\n  DB_PASSWORD: secret/myapp/db#password\n', dbSecret);
    const run = startRunner(driver, setup, [node, fixture('print-env.mjs'), '--wait', 'DB_PASSWORD']);
    await run.waitForOutput('ready');
    const firstPid = /ready (\d+)/.exec(run.stdout())?.[1];
    writeSecrets(setup.sourceFile, { 'secret/myapp/db': { version: 2, data: { password: 'pw-two-5678' } } });
    await run.waitForOutput(`DB_PASSWORD=${digest('pw-two-5678')}`);
    await run.waitForOutput('ready', 'stdout');
    expect(run.stderr()).toBe('secretrun: DB_PASSWORD changed, restarting\n');
    const pids = [...run.stdout().matchAll(/ready (\d+)/g)].map((match) => match[1]);
    await waitFor('second child ready', () => ([...run.stdout().matchAll(/ready (\d+)/g)].length === 2 ? true : undefined));
    expect(pids[0]).toBe(firstPid);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('does not restart on an identical rewrite, and coalesces a burst into one restart', async () => {
    const setup = writeSetup('mask: false\ndebounce: 1s\nenv:\n  DB_PASSWORD: secret/myapp/db#password\n', dbSecret);
    const run = startRunner(driver, setup, [node, fixture('print-env.mjs'), '--wait', 'DB_PASSWORD']);
    await run.waitForOutput('ready');
    expect(readCount(setup.sourceFile)).toBe(1);
    writeSecrets(setup.sourceFile, dbSecret);
    await waitFor('re-read after identical rewrite', () => readCount(setup.sourceFile) === 2);
    for (let round = 0; round < 5; round += 1) {
      writeSecrets(setup.sourceFile, { 'secret/myapp/db': { version: 3 + round, data: { password: `pw-burst-${round}` } } });
    }
    await run.waitForOutput(`DB_PASSWORD=${digest('pw-burst-4')}`);
    // The five writes take microseconds; a 1 s debounce leaves a wide margin on a loaded CI machine.
    await waitFor('second child ready', () => ([...run.stdout().matchAll(/ready \d+/g)].length >= 2 ? true : undefined));
    expect([...run.stdout().matchAll(/ready \d+/g)]).toHaveLength(2);
    expect(readCount(setup.sourceFile)).toBe(3);
    expect(run.stderr()).toBe('secretrun: DB_PASSWORD changed, restarting\n');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('escalates to SIGKILL when the child ignores the stop signal past kill_timeout', async () => {
    const setup = writeSetup('mask: false\ndebounce: 10ms\nkill_timeout: 200ms\nenv:\n  DB_PASSWORD: secret/myapp/db#password\n', dbSecret);
    const run = startRunner(driver, setup, [node, fixture('trap-signals.mjs'), '--ignore-term']);
    await run.waitForOutput('ready');
    writeSecrets(setup.sourceFile, { 'secret/myapp/db': { version: 2, data: { password: 'pw-two-5678' } } });
    await run.waitForOutput('got SIGTERM');
    await waitFor('restarted child', () => (run.commandPids().length === 2 ? true : undefined));
    const [first, second] = run.commandPids();
    expect(first).not.toBe(second);
    // The first child ignored SIGTERM, so only the SIGKILL after kill_timeout can have ended it.
    expect(() => process.kill(first ?? 0, 0)).toThrow();
    // The second child ignores SIGTERM too: end it directly, and the runner exits as it did.
    process.kill(second ?? 0, 'SIGKILL');
    expect((await run.exited).code).toBe(137);
  });

  it('sends reload_signal with on_change: signal, and exits with on_change: exit', async () => {
    const signalled = writeSetup('mask: false\ndebounce: 10ms\non_change: signal\nreload_signal: SIGUSR2\nenv:\n  P: secret/myapp/db#password\n', dbSecret);
    const exiting = writeSetup('mask: false\ndebounce: 10ms\non_change: exit\nstop_signal: SIGINT\nenv:\n  P: secret/myapp/db#password\n', dbSecret);
    const a = startRunner(driver, signalled, [node, fixture('trap-signals.mjs')]);
    const b = startRunner(driver, exiting, [node, fixture('trap-signals.mjs')]);
    await Promise.all([a.waitForOutput('ready'), b.waitForOutput('ready')]);
    const changed = { 'secret/myapp/db': { version: 2, data: { password: 'pw-two-5678' } } };
    writeSecrets(signalled.sourceFile, changed);
    writeSecrets(exiting.sourceFile, changed);
    await a.waitForOutput('got SIGUSR2');
    expect(a.stderr()).toBe('secretrun: P changed, sending SIGUSR2\n');
    await b.waitForOutput('got SIGINT');
    // trap-signals survives SIGINT; a SIGTERM to the runner still reaches the stopping child.
    b.child.kill('SIGTERM');
    expect((await b.exited).code).toBe(0);
    expect(b.stderr()).toBe('secretrun: P changed, exiting\n');
    a.child.kill('SIGTERM');
    expect((await a.exited).code).toBe(0);
  });

  it('keeps the command running while the source is unavailable, saying so once, and when it recovers', async () => {
    const setup = writeSetup('mask: false\ndebounce: 10ms\nenv:\n  DB_PASSWORD: secret/myapp/db#password\n', dbSecret);
    const run = startRunner(driver, setup, [node, fixture('print-env.mjs'), '--wait', 'DB_PASSWORD']);
    await run.waitForOutput('ready');
    writeSecrets(setup.sourceFile, { ...dbSecret, $unavailable: 'connection refused' });
    await run.waitForOutput('source unavailable', 'stderr');
    writeSecrets(setup.sourceFile, { ...dbSecret, $unavailable: 'connection refused again' });
    await waitFor('second read during outage', () => readCount(setup.sourceFile) >= 3);
    writeSecrets(setup.sourceFile, dbSecret);
    await run.waitForOutput('source available again', 'stderr');
    expect(run.stderr()).toBe(
      'secretrun: source unavailable (connection refused); keeping the command running on last-known values\nsecretrun: source available again\n',
    );
    expect([...run.stdout().matchAll(/ready \d+/g)]).toHaveLength(1);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('exits with the child code when the child exits by itself while watching', async () => {
    const setup = writeSetup('env:\n  P: secret/myapp/db#password\n', dbSecret);
    const run = startRunner(driver, setup, [node, fixture('exit-with.mjs'), '7']);
    expect((await run.exited).code).toBe(7);
  });

  it('runs a command through sh -c with shell: true', async () => {
    const setup = writeSetup('mask: false\nshell: true\nonce: true\n', {});
    const run = startRunner(driver, setup, ['echo', '"$((6 * 7))"', '&&', 'exit', '4']);
    expect((await run.exited).code).toBe(4);
    expect(run.stdout()).toBe('42\n');
  });
});

describe('runSupervised with the caller\'s streams', () => {
  // A consumer slower than the command: the runner must pause the command's pipe while the
  // stream is full (so ~2 MB of output never piles up in memory) and lose nothing.
  it('waits for a slow stdout to drain and delivers all output in order, masked', async () => {
    const setup = writeSetup('', dbSecret);
    const manifest = parseManifest('once: true\nmask: true\nenv:\n  DB_PASSWORD: secret/myapp/db#password\n', { file: 'secretrun.yaml', dir: setup.dir });
    const received: Buffer[] = [];
    let mostBuffered = 0;
    const slow = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk);
        mostBuffered = Math.max(mostBuffered, slow.writableLength);
        setTimeout(done, 5);
      },
    });
    const script = 'for (let i = 0; i < 50000; i++) process.stdout.write(`line ${i} ${process.env.DB_PASSWORD} end\\n`);';
    const code = await runSupervised({
      manifest,
      source: createJsonFileSource(setup.sourceFile),
      command: node,
      args: ['-e', script],
      io: { stdout: slow, stdoutIsTTY: false, signals: { subscribe: () => () => undefined } },
    });
    expect(code).toBe(0);
    const lines = Buffer.concat(received).toString().split('\n');
    expect(lines).toHaveLength(50001);
    expect(lines.every((line, i) => i === 50000 || line === `line ${i} <concealed by secretrun> end`)).toBe(true);
    // A pipe read is at most 64 KiB, so a paused copy holds about one read at a time.
    expect(mostBuffered).toBeLessThan(256 * 1024);
  });
});
