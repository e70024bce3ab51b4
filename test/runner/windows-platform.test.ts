// The runner's Windows code paths, on this (POSIX) machine with the platform injected: what
// the runner decides for Windows — which shell, which signals to listen to and pass on, what
// it refuses to send — runs with real processes; only Windows itself is missing
// (docs/windows.md lists what was not tested there).
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openSecretStore } from '../../src/library/open-secret-store.js';
import { processChildIo } from '../../src/process/child-io.js';
import { Child } from '../../src/runner/child.js';
import { buildShellCommand } from '../../src/runner/platform-shell.js';
import { canSendSignal, listenedSignals, signalToForward } from '../../src/runner/platform-signals.js';
import type { RunOutput } from '../../src/runner/runner-io.js';
import type { SignalSource } from '../../src/runner/signals.js';
import { forwardedSignals } from '../../src/runner/signals.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const trapSignals = fileURLToPath(new URL('../fixtures/runner/trap-signals.mjs', import.meta.url));
const key = randomBytes(32).toString('base64');

describe('the shell by platform', () => {
  it('is /bin/sh -c on POSIX and %ComSpec% /d /s /c "LINE" on Windows, cmd.exe when ComSpec is unset', () => {
    expect(buildShellCommand('linux', { ComSpec: 'x' }, 'echo $A')).toEqual({ file: '/bin/sh', args: ['-c', 'echo $A'], verbatim: false });
    expect(buildShellCommand('darwin', {}, 'ls')).toEqual({ file: '/bin/sh', args: ['-c', 'ls'], verbatim: false });
    expect(buildShellCommand('win32', { ComSpec: 'C:\\Windows\\system32\\cmd.exe' }, 'echo %A%')).toEqual({
      file: 'C:\\Windows\\system32\\cmd.exe',
      args: ['/d', '/s', '/c', '"echo %A%"'],
      verbatim: true,
    });
    // Windows variable names are case-insensitive.
    expect(buildShellCommand('win32', { COMSPEC: 'D:\\cmd.exe' }, 'x').file).toBe('D:\\cmd.exe');
    expect(buildShellCommand('win32', { ComSpec: '' }, 'x').file).toBe('cmd.exe');
    expect(buildShellCommand('win32', {}, 'x').file).toBe('cmd.exe');
  });
});

describe('signals by platform', () => {
  it('listens to every forwarded signal on POSIX, and to the console events and SIGTERM on Windows', () => {
    expect(listenedSignals('linux')).toEqual(forwardedSignals);
    expect(listenedSignals('win32')).toEqual(['SIGINT', 'SIGBREAK', 'SIGHUP', 'SIGTERM']);
    for (const signal of forwardedSignals) expect(signalToForward('darwin', signal)).toBe(signal);
    expect(['SIGINT', 'SIGBREAK', 'SIGHUP', 'SIGWINCH', 'SIGTERM'].map((signal) => signalToForward('win32', signal as NodeJS.Signals))).toEqual([undefined, undefined, undefined, undefined, 'SIGTERM']);
    expect(['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGKILL', 'SIGHUP', 'SIGUSR1'].map((signal) => canSendSignal('win32', signal as NodeJS.Signals))).toEqual([true, true, true, true, false, false]);
    expect(canSendSignal('linux', 'SIGHUP')).toBe(true);
  });

  it('never sends a signal Windows has not (Node would throw ENOSYS there), and sends those it has', async () => {
    let output = '';
    const child = new Child(
      { command: process.execPath, args: [trapSignals], env: { PATH: process.env['PATH'] ?? '' }, shell: false, stdout: 'pipe', stderr: 'pipe', stdin: 'inherit' },
      { spawn: processChildIo().spawn, platform: 'win32' },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the command to start', () => output.includes('ready'));
    expect(child.signal('SIGHUP')).toBe(false);
    expect(child.signal('SIGUSR2')).toBe(false);
    expect(child.signal('SIGTERM')).toBe(true);
    expect((await child.exited).exitCode).toBe(0);
    expect(output).toMatch(/^ready \d+\ngot SIGTERM\n$/);
  });
});

// A stream of the test's: collects what is written to it.
function captured(): { output: RunOutput; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { output: { stream, kind: 'other', fd: undefined }, text: () => text };
}

function testSignals(): SignalSource & { send: (signal: NodeJS.Signals) => void; listened: () => NodeJS.Signals[] } {
  const handlers = new Set<{ signals: readonly NodeJS.Signals[]; handler: (signal: NodeJS.Signals) => void }>();
  return {
    subscribe(signals, handler) {
      const entry = { signals, handler };
      handlers.add(entry);
      return () => handlers.delete(entry);
    },
    send(signal) {
      for (const entry of handlers) if (entry.signals.includes(signal)) entry.handler(signal);
    },
    listened: () => [...handlers].flatMap((entry) => [...entry.signals]),
  };
}

async function windowsRun(argv: string[], env: Record<string, string> = {}) {
  const dir = makeTempDir();
  const store = await openSecretStore({ path: join(dir, '.secretrun', 'store.json'), env: { SECRETRUN_KEY: key } });
  await store.write('secret/app', { token: 'win-token-1234' });
  await store.close();
  writeFileSync(join(dir, 'secretrun.yaml'), 'env:\n  TOKEN: secret/app#token\n');
  const out = captured();
  const err = captured();
  const signals = testSignals();
  const ignore = { write: () => undefined, isTTY: false };
  const io: CliIo = {
    stdout: ignore,
    stderr: ignore,
    stdinIsTTY: false,
    readStdin: async () => '',
    env: { PATH: process.env['PATH'], SECRETRUN_KEY: key, XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config'), ...env },
    cwd: dir,
    signals,
    now: Date.now,
    random: Math.random,
    child: { ...processChildIo(), platform: 'win32', stdin: new PassThrough(), stdout: out.output, stderr: err.output },
  };
  return { code: main(argv, io), out, err, signals, dir };
}

describe('run with the platform injected as Windows', () => {
  it('runs -shell through %ComSpec% /d /s /c with the line quoted whole', async () => {
    const dir = makeTempDir();
    // Stands in for cmd.exe: a real program that prints the arguments it was given.
    const comspec = join(dir, 'fake-cmd');
    writeFileSync(comspec, '#!/bin/sh\nfor arg in "$@"; do echo "[$arg]"; done\necho "TOKEN=$TOKEN"\n');
    chmodSync(comspec, 0o755);
    const run = await windowsRun(['run', '--once', '--shell', '--', 'echo', '%TOKEN%', '&&', 'dir'], { ComSpec: comspec });
    expect(await run.code).toBe(0);
    expect(run.out.text()).toBe('[/d]\n[/s]\n[/c]\n["echo %TOKEN% && dir"]\nTOKEN=<concealed by secretrun>\n');
  });

  it('removes the runner\'s credentials from the command\'s environment whatever their case', async () => {
    const script = 'console.log(Object.keys(process.env).filter((name) => /token|secretrun/i.test(name)).sort().join(","))';
    const run = await windowsRun(['run', '--once', '--', process.execPath, '-e', script], { vault_token: 'vt-5678', Secretrun_Passphrase: 'pp-1234' });
    expect(await run.code).toBe(0);
    expect(run.out.text()).toBe('TOKEN\n');
  });

  it('says so when there is no cmd.exe to run (exit 127)', async () => {
    const run = await windowsRun(['run', '--once', '--shell', '--', 'echo', 'x'], { PATH: '/nonexistent' });
    expect(await run.code).toBe(127);
    expect(run.err.text()).toContain('cannot start command: ENOENT: echo');
  });

  it('listens to the console events without passing them on (the command got them from the console), and passes SIGTERM on', async () => {
    const run = await windowsRun(['run', '--', process.execPath, trapSignals]);
    await waitFor('the command to start', () => run.out.text().includes('ready'));
    expect(run.signals.listened().sort()).toEqual(['SIGBREAK', 'SIGHUP', 'SIGINT', 'SIGTERM']);
    // Ctrl+C, Ctrl+Break and closing the console reach a Windows command from the console itself.
    run.signals.send('SIGINT');
    run.signals.send('SIGBREAK');
    run.signals.send('SIGHUP');
    run.signals.send('SIGTERM');
    expect(await run.code).toBe(0);
    expect(run.out.text()).toMatch(/^ready \d+\ngot SIGTERM\n$/);
  });
});
