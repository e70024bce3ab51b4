// Where the runner's output goes, decided per stream from what each stream is (real processes,
// real files, a real terminal from `script`): masking for stdout and stderr apart, and the
// `::add-mask::` lines for GitHub Actions only onto a stream the Actions runner reads.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { captureOutput } from '../helpers/captured-output.js';
import { writeSetup } from './runner-process.js';

let driver = '';
beforeEach(async () => {
  driver = await bundleFixture('test/fixtures/runner/driver.ts');
});

const value = 'pw-one-1234';
const secrets = { 'secret/myapp/db': { version: 1, data: { password: value } } };
const manifest = 'env:\n  DB_PASSWORD: secret/myapp/db#password\n';
// Prints the value on stdout and on stderr.
const printBoth = ['sh', '-c', 'echo "out $DB_PASSWORD"; echo "err $DB_PASSWORD" >&2'];

// Runs the driver with stdout and stderr each a file (`file`) or a pipe the test reads.
async function runWith(stdout: 'file' | 'pipe', stderr: 'file' | 'pipe', env: Record<string, string> = {}) {
  const setup = writeSetup(manifest, secrets);
  const files = { stdout: join(setup.dir, 'stdout.log'), stderr: join(setup.dir, 'stderr.log') };
  const fds = { stdout: openSync(files.stdout, 'w'), stderr: openSync(files.stderr, 'w') };
  const child = spawn(process.execPath, [driver, setup.manifestFile, setup.sourceFile, '--', ...printBoth], {
    env: { ...process.env, GITHUB_ACTIONS: '', ...env },
    stdio: ['ignore', stdout === 'file' ? fds.stdout : 'pipe', stderr === 'file' ? fds.stderr : 'pipe'],
  });
  closeSync(fds.stdout);
  closeSync(fds.stderr);
  const captured = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => (captured.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (captured.stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    code,
    stdout: stdout === 'file' ? readFileSync(files.stdout, 'utf8') : captured.stdout,
    stderr: stderr === 'file' ? readFileSync(files.stderr, 'utf8') : captured.stderr,
  };
}

describe('::add-mask:: under GitHub Actions', () => {
  const actions = { GITHUB_ACTIONS: 'true' };

  it('goes to stderr when stdout is a file, never into the file', async () => {
    const run = await runWith('file', 'pipe', actions);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('out <concealed by secretrun>\n');
    expect(run.stderr).toBe(`::add-mask::${value}\nerr <concealed by secretrun>\n`);
  });

  it('goes to stderr when both are pipes: command substitution and `| tee` capture stdout', async () => {
    const run = await runWith('pipe', 'pipe', actions);
    expect(run.stdout).toBe('out <concealed by secretrun>\n');
    expect(run.stderr).toBe(`::add-mask::${value}\nerr <concealed by secretrun>\n`);
  });

  it('goes to stdout when only stdout is a pipe', async () => {
    const run = await runWith('pipe', 'file', actions);
    expect(run.stdout).toBe(`::add-mask::${value}\nout <concealed by secretrun>\n`);
    expect(run.stderr).toBe('err <concealed by secretrun>\n');
  });

  it('is left out when neither is a pipe, saying so without the value', async () => {
    const run = await runWith('file', 'file', actions);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('out <concealed by secretrun>\n');
    expect(run.stderr).toBe(
      'secretrun: GITHUB_ACTIONS is set but neither stdout nor stderr is a pipe the Actions runner reads; secret values were not registered with ::add-mask::\nerr <concealed by secretrun>\n',
    );
  });

  it('is not printed outside GitHub Actions', async () => {
    const run = await runWith('pipe', 'pipe');
    expect(run.stdout + run.stderr).not.toContain('::add-mask::');
  });
});

describe('mask: auto, per stream', () => {
  it('masks stderr redirected to a file while stdout is a terminal, and leaves the terminal alone', async () => {
    const setup = writeSetup(manifest, secrets);
    const errFile = join(setup.dir, 'stderr.log');
    const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;
    const line = [process.execPath, driver, setup.manifestFile, setup.sourceFile, '--', ...printBoth].map(quote).join(' ');
    // `script` runs the line on a new terminal and copies what the terminal showed to its stdout.
    const terminal = spawn('script', ['-qec', `${line} 2>${quote(errFile)}`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GITHUB_ACTIONS: '' } });
    const { stdout, exited } = captureOutput(terminal);
    expect((await exited).code).toBe(0);
    expect(readFileSync(errFile, 'utf8')).toBe('err <concealed by secretrun>\n');
    // On the terminal, auto means unmasked: the person at it ran the command.
    expect(stdout().replace(/\r/g, '')).toBe(`out ${value}\n`);
  });
});

describe('a masked stream with nothing to mask', () => {
  // The inode of the command's stdout: the runner's own file, or the pipe the runner reads.
  const printInode = [process.execPath, '-e', 'process.stdout.write(String(require("fs").fstatSync(1).ino))'];

  async function inodeSeen(values: Record<string, string>): Promise<{ seen: string; file: string }> {
    const setup = writeSetup(`mask: true\nenv:\n${Object.keys(values).map((name) => `  ${name}: secret/app#${name.toLowerCase()}\n`).join('')}`, {
      'secret/app': { version: 1, data: Object.fromEntries(Object.entries(values).map(([name, value]) => [name.toLowerCase(), value])) },
    });
    const file = join(setup.dir, 'stdout.log');
    const fd = openSync(file, 'w');
    const child = spawn(process.execPath, [driver, setup.manifestFile, setup.sourceFile, '--', ...printInode], { env: { ...process.env, GITHUB_ACTIONS: '' }, stdio: ['ignore', fd, 'pipe'] });
    closeSync(fd);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    return { seen: readFileSync(file, 'utf8'), file };
  }

  it('is written by the command straight to the runner\'s descriptor: no value is long enough to mask', async () => {
    const run = await inodeSeen({ PORT: '80', FLAG: 'yes' });
    expect(run.seen).toBe(String(statSync(run.file).ino));
  });

  it('is read and masked by the runner as soon as one value is long enough', async () => {
    const run = await inodeSeen({ PORT: '80', TOKEN: 'tok-1234' });
    expect(run.seen).not.toBe(String(statSync(run.file).ino));
    expect(run.seen).toMatch(/^\d+$/);
  });
});
