// Moving secrets in and out: `import` of a dotenv file and `export` of a secret, through the
// built CLI, locally and against a server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../http/server-process.js';
import { cliEntry, createSandbox, expectExit } from './run-cli.js';

// Values dotenv can hold, each distinctive so a leak into output is found by search.
const variables = {
  API_KEY: 'sk-live-7f3a9c1e5b',
  WITH_HASH: 'pa#ss-4d1e',
  WITH_DOLLAR: 'cost$HOME-9b2c',
  WITH_QUOTES: `it's "quoted"-2a8f`,
  MULTILINE: 'line-one-6c3d\nline-two-6c3d',
  EMPTY: '',
};
const dotenvText = [
  `API_KEY=${variables.API_KEY}`,
  `WITH_HASH="${variables.WITH_HASH}"`,
  `WITH_DOLLAR='${variables.WITH_DOLLAR}'`,
  `WITH_QUOTES=\`${variables.WITH_QUOTES}\``,
  `MULTILINE="line-one-6c3d\\nline-two-6c3d"`,
  '# a comment',
  'EMPTY=',
  '',
].join('\n');
const secretValues = Object.values(variables).filter((value) => value !== '');
// A value with both ' and " has no dotenv form that sh, sourcing the file, would not run
// (render-env.ts): export refuses it as dotenv, and writes the others.
const { WITH_QUOTES: _bothQuotes, ...dotenvSafe } = variables;
const dotenvSafeText = dotenvText.split('\n').filter((line) => !line.startsWith('WITH_QUOTES=')).join('\n');

describe('import and export', () => {
  it('round-trips a dotenv file: import prints names only, export gives back what dotenv parsed', async () => {
    const sandbox = createSandbox();
    writeFileSync(join(sandbox.dir, '.env'), dotenvText);
    expect(parse(dotenvText)).toEqual(variables);
    const imported = expectExit(await sandbox.run(['import', '.env', 'secret/myapp/config']), 0);
    expect(imported.stdout).toBe('Success! Imported 6 variables as the fields of secret/myapp/config: API_KEY, EMPTY, MULTILINE, WITH_DOLLAR, WITH_HASH, WITH_QUOTES\n');
    for (const value of secretValues) expect(imported.stdout + imported.stderr).not.toContain(value);
    const refused = await sandbox.run(['export', 'secret/myapp/config']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('cannot write WITH_QUOTES as dotenv');
    writeFileSync(join(sandbox.dir, 'safe.env'), dotenvSafeText);
    expectExit(await sandbox.run(['import', 'safe.env', 'secret/myapp/safe']), 0);
    const dotenv = expectExit(await sandbox.run(['export', 'secret/myapp/safe']), 0);
    expect(parse(dotenv.stdout)).toEqual(dotenvSafe);
    const json = expectExit(await sandbox.run(['export', '-format=json', 'secret/myapp/config']), 0);
    expect(JSON.parse(json.stdout)).toEqual(variables);
    // Shell exports, evaluated by a real shell, give the same values.
    const shell = expectExit(await sandbox.run(['export', '-format=shell', 'secret/myapp/config']), 0);
    const printed = await execa('sh', ['-c', `${shell.stdout}\nprintf '%s\\0' "$API_KEY" "$WITH_DOLLAR" "$WITH_QUOTES" "$MULTILINE" "$EMPTY"`]);
    expect(printed.stdout.split('\0').slice(0, 5)).toEqual([variables.API_KEY, variables.WITH_DOLLAR, variables.WITH_QUOTES, variables.MULTILINE, '']);
  });

  it('imports one secret per variable with -split, and from standard input', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['import', '-split', '-', 'secret/split'], { input: 'ONE=first-8e1f\nTWO=second-8e1f\n' }), 0);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=value', 'secret/split/TWO']), 0).stdout).toBe('second-8e1f');
    expect(expectExit(await sandbox.run(['kv', 'list', '-format=json', 'secret/split']), 0).stdout).toBe('[\n  "ONE",\n  "TWO"\n]\n');
  });

  it('works against a server like every other command', async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-dev', '-dev-root-token-id=root-8e1f', '-dev-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const remote = { env: { VAULT_ADDR: server.url, VAULT_TOKEN: 'root-8e1f' } };
    writeFileSync(join(sandbox.dir, '.env'), dotenvSafeText);
    expectExit(await sandbox.run(['import', '.env', 'secret/remote'], remote), 0);
    expect(parse(expectExit(await sandbox.run(['export', 'secret/remote'], remote), 0).stdout)).toEqual(dotenvSafe);
    expect(await server.stop()).toBe(0);
  });

  it('refuses bad input with one line each', async () => {
    const sandbox = createSandbox();
    writeFileSync(join(sandbox.dir, 'empty.env'), '# nothing\n');
    expect((await sandbox.run(['import', 'empty.env', 'secret/x'])).stderr).toBe('no variables in empty.env: nothing to import (expected NAME=value lines)\n');
    expect((await sandbox.run(['import', 'missing.env', 'secret/x'])).stderr).toBe('cannot read missing.env: ENOENT (give a dotenv file, or - for standard input)\n');
    expectExit(await sandbox.run(['kv', 'put', 'secret/odd', 'not-a-name=value-3c1d']), 0);
    const odd = await sandbox.run(['export', 'secret/odd']);
    expect(odd.exitCode).toBe(1);
    expect(odd.stderr).toBe('field "not-a-name" of secret/odd is not a valid variable name: use -format=json, or rename the field\n');
    expect(odd.stdout + odd.stderr).not.toContain('value-3c1d');
    expect((await sandbox.run(['export', '-format=yaml', 'secret/odd'])).stderr).toBe('invalid -format "yaml" for export: use dotenv, json or shell\n');
    expect((await sandbox.run(['export', 'secret/none'])).exitCode).toBe(2);
  });

  it('refuses to print values to a terminal without -force', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/tty', 'TOKEN=tty-value-5e2b']), 0);
    // `script` gives the command a terminal for its stdout.
    const run = (args: string) =>
      execa('script', ['-qec', `${process.execPath} ${cliEntry()} export ${args} secret/tty`, '/dev/null'], { cwd: sandbox.dir, env: sandbox.env, extendEnv: false, reject: false });
    const refused = await run('');
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain('refusing to print secret values to a terminal');
    expect(refused.stdout).not.toContain('tty-value-5e2b');
    expect((await run('-force')).stdout).toContain("TOKEN='tty-value-5e2b'");
  });
});
