// `run` in-process through main(): the command's output, the runner's messages and the signals
// all go through the CliIo the test hands in, as they do for every other command.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { processChildIo } from '../../../src/process/child-io.js';
import type { RunOutput } from '../../../src/runner/runner-io.js';
import type { SignalSource } from '../../../src/runner/signals.js';
import { openSecretStore } from '../../../src/library/open-secret-store.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { waitFor } from '../../helpers/wait-for.js';

const trapSignals = fileURLToPath(new URL('../../fixtures/runner/trap-signals.mjs', import.meta.url));
const key = randomBytes(32).toString('base64');

// A stream of the test's: collects what is written to it.
function captured(kind: RunOutput['kind'] = 'other'): { output: RunOutput; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { output: { stream, kind, fd: undefined }, text: () => text };
}

// Signals the test sends by calling `send`.
function testSignals(): SignalSource & { send: (signal: NodeJS.Signals) => void } {
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
  };
}

async function project(): Promise<string> {
  const dir = makeTempDir();
  const store = await openSecretStore({ path: join(dir, '.secretrun', 'store.json'), env: { SECRETRUN_KEY: key } });
  await store.write('secret/app', { token: 'in-process-token-42' });
  await store.close();
  writeFileSync(join(dir, 'secretrun.yaml'), 'env:\n  TOKEN: secret/app#token\n');
  return dir;
}

function ioIn(dir: string, stdout: RunOutput, stderr: RunOutput, signals: SignalSource): CliIo {
  const ignore = { write: () => undefined, isTTY: false };
  return {
    stdout: ignore,
    stderr: ignore,
    stdinIsTTY: false,
    readStdin: async () => '',
    env: { PATH: process.env['PATH'], SECRETRUN_KEY: key, XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config') },
    cwd: dir,
    signals,
    now: Date.now,
    random: Math.random,
    child: { ...processChildIo(), stdin: new PassThrough(), stdout, stderr },
  };
}

describe('run through an injected CliIo', () => {
  it('writes the command\'s output, masked, to the given streams, and passes the given signals on', async () => {
    const dir = await project();
    const out = captured();
    const err = captured();
    const signals = testSignals();
    const script = 'console.log(`token ${process.env.TOKEN}`); await import(process.argv[1])';
    const code = main(['run', '--', process.execPath, '--input-type=module', '-e', script, trapSignals], ioIn(dir, out.output, err.output, signals));
    await waitFor('the command to start', () => out.text().includes('ready'));
    signals.send('SIGUSR2');
    await waitFor('the command to get SIGUSR2', () => out.text().includes('got SIGUSR2'));
    signals.send('SIGTERM');
    expect(await code).toBe(0);
    expect(out.text()).toMatch(/^token <concealed by secretrun>\nready \d+\ngot SIGUSR2\ngot SIGTERM\n$/);
    expect(err.text()).toBe('');
  });

  it('shows values the manifest marks mask: false and masks the rest, here and in ::add-mask::', async () => {
    const dir = await project();
    const store = await openSecretStore({ path: join(dir, '.secretrun', 'store.json'), env: { SECRETRUN_KEY: key } });
    await store.write('secret/db', { host: 'db.internal', port: '5432', password: 'pw-8f3e1a', flag: 'yes' });
    await store.close();
    const manifest = [
      'env:',
      '  DB_HOST: { ref: secret/db#host, mask: false }',
      '  DB_PORT: { ref: secret/db#port, mask: false }',
      '  DB_PASSWORD: secret/db#password',
      '  FLAG: secret/db#flag',
      '  URL: { template: "pg://{{ secret/db#password }}@{{ secret/db#host }}:{{ secret/db#port }}" }',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'secretrun.yaml'), manifest);
    const out = captured();
    const err = captured('pipe');
    const io = ioIn(dir, out.output, err.output, testSignals());
    const script = 'for (const name of ["DB_HOST", "DB_PORT", "DB_PASSWORD", "FLAG", "URL"]) console.log(`${name}=${process.env[name]}`)';
    const code = await main(['run', '--once', '--', process.execPath, '-e', script], { ...io, env: { ...io.env, GITHUB_ACTIONS: 'true' } });
    expect(code).toBe(0);
    expect(out.text()).toBe(['DB_HOST=db.internal', 'DB_PORT=5432', 'DB_PASSWORD=<concealed by secretrun>', 'FLAG=yes', 'URL=<concealed by secretrun>', ''].join('\n'));
    expect(err.text()).toBe('::add-mask::pw-8f3e1a\n::add-mask::pg://pw-8f3e1a@db.internal:5432\n');
  });
});
