// One manifest, several environments, through the CLI in-process: -env and SECRETRUN_ENV on
// env, run and check, each environment with its own store.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { processChildIo } from '../../../src/process/child-io.js';
import { openSecretStore } from '../../../src/library/open-secret-store.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const key = randomBytes(32).toString('base64');

const manifest = `env:
  DB_PASSWORD: secret/{{env}}/db#password
  REGION: { ref: secret/shared#region, default: local }
source: { store: ".secretrun/{{env}}.json" }
environments:
  dev:
  prod:
    env:
      REGION: secret/shared#region
`;

async function project(): Promise<string> {
  const dir = makeTempDir();
  for (const [name, data] of [
    ['dev', { 'secret/dev/db': { password: 'dev-pw-1234' } }],
    ['prod', { 'secret/prod/db': { password: 'prod-pw-5678' }, 'secret/shared': { region: 'eu-west-1' } }],
  ] as const) {
    const store = await openSecretStore({ path: join(dir, '.secretrun', `${name}.json`), env: { SECRETRUN_KEY: key } });
    for (const [path, values] of Object.entries(data)) await store.write(path, values);
    await store.close();
  }
  writeFileSync(join(dir, 'secretrun.yaml'), manifest);
  return dir;
}

// Runs the CLI in-process; returns the exit code and what it printed.
async function cli(dir: string, argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  // The command's own output, when `run` starts one.
  const childOut = new PassThrough();
  childOut.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const io: CliIo = {
    stdout: { write: (text) => void (stdout += text), isTTY: false },
    stderr: { write: (text) => void (stderr += text), isTTY: false },
    stdinIsTTY: false,
    readStdin: async () => '',
    env: { PATH: process.env['PATH'], SECRETRUN_KEY: key, XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config'), ...env },
    cwd: dir,
    signals: { subscribe: () => () => undefined },
    now: Date.now,
    random: Math.random,
    child: { ...processChildIo(), stdin: new PassThrough(), stdout: { stream: childOut, kind: 'pipe', fd: undefined } },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('environments from the command line', () => {
  it('resolves the chosen environment from its own store, by -env or SECRETRUN_ENV', async () => {
    const dir = await project();
    expect(await cli(dir, ['env', '-env=dev', '-format=json'])).toEqual({ code: 0, stdout: '{\n  "DB_PASSWORD": "dev-pw-1234",\n  "REGION": "local"\n}\n', stderr: '' });
    expect(JSON.parse((await cli(dir, ['env', '-format=json'], { SECRETRUN_ENV: 'prod' })).stdout)).toEqual({ DB_PASSWORD: 'prod-pw-5678', REGION: 'eu-west-1' });
    // The flag wins over the variable.
    expect(JSON.parse((await cli(dir, ['env', '-env', 'dev', '-format=json'], { SECRETRUN_ENV: 'prod' })).stdout)).toMatchObject({ DB_PASSWORD: 'dev-pw-1234' });
    // -e flags take {{env}} too.
    const flagged = await cli(dir, ['env', '-env=prod', '-e', 'OTHER=secret/{{env}}/db#password', '-format=json']);
    expect(JSON.parse(flagged.stdout)).toMatchObject({ OTHER: 'prod-pw-5678' });
  });

  it('runs the command with the chosen environment: secretrun -env=prod -- CMD', async () => {
    const dir = await project();
    const script = 'console.log(process.env.DB_PASSWORD === "prod-pw-5678" ? "prod values" : "other values")';
    const run = await cli(dir, ['-env=prod', '--once', '--', process.execPath, '-e', script]);
    expect(run).toEqual({ code: 0, stdout: 'prod values\n', stderr: '' });
  });

  it('says which environments exist when the name is wrong or none was chosen (exit 1)', async () => {
    const dir = await project();
    expect(await cli(dir, ['env', '-env=staging'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "unknown environment 'staging': secretrun.yaml defines dev, prod\nPass one of them with -env=NAME or SECRETRUN_ENV, or add it under environments: in the manifest.\n",
    });
    expect((await cli(dir, ['-env=prd', '--', 'true'])).stderr).toContain("unknown environment 'prd': did you mean 'prod'? secretrun.yaml defines dev, prod");
    expect(await cli(dir, ['--once', '--', 'true'])).toMatchObject({ code: 1, stderr: 'secretrun.yaml uses {{env}} (env.DB_PASSWORD) but no environment was chosen (defined: dev, prod)\nPass -env=NAME or set SECRETRUN_ENV.\n' });
    const bare = makeTempDir();
    expect((await cli(bare, ['env', '-env=prod', '-e', 'A=secret/a#b'])).stderr).toMatch(/^unknown environment 'prod': the command line \(no manifest\) defines no environments\n/);
  });

  it('checks every environment when none was chosen, each against its own store, never printing a value', async () => {
    const dir = await project();
    const all = await cli(dir, ['check']);
    expect(all.code).toBe(0);
    expect(all.stdout).toBe(
      [
        'environment dev:',
        '  DB_PASSWORD  reference  secret/dev/db#password',
        '  REGION       default    default (secret/shared#region missing)',
        '  ok: 2 variables resolved',
        'environment prod:',
        '  DB_PASSWORD  reference  secret/prod/db#password',
        '  REGION       reference  secret/shared#region',
        '  ok: 2 variables resolved',
        '',
      ].join('\n'),
    );
    // One environment that does not resolve fails the check (exit 7), the others are still checked.
    writeFileSync(join(dir, 'secretrun.yaml'), manifest.replace('  dev:\n', '  dev:\n  qa:\n'));
    const broken = await cli(dir, ['check']);
    expect(broken.code).toBe(7);
    expect(broken.stdout).toContain('environment dev:');
    expect(broken.stdout).toContain('environment prod:');
    expect(broken.stderr).toMatch(/^environment qa:\n(.*\n)* {4}DB_PASSWORD: secret\/qa\/db#password: no store at .*qa\.json/);
    const one = await cli(dir, ['check', '-env=dev']);
    expect(one).toMatchObject({ code: 0, stderr: '' });
    expect(one.stdout).not.toContain('environment');
    for (const text of [all.stdout, all.stderr, broken.stdout, broken.stderr]) expect(text).not.toMatch(/pw-\d|eu-west/);
  });

  it('checks the manifest without an environment too when it does not need one', async () => {
    const dir = await project();
    writeFileSync(join(dir, 'secretrun.yaml'), 'env:\n  REGION: secret/shared#region\nsource: { store: .secretrun/prod.json }\nenvironments:\n  dev:\n    env: { REGION: { ref: secret/nowhere#x, optional: true } }\n');
    const all = await cli(dir, ['check']);
    expect(all.stdout.split('\n').filter((line) => !line.startsWith('  '))).toEqual(['no environment (-env not given):', 'environment dev:', '']);
    expect(all.stdout).toContain('  1 optional variable not set:');
  });
});
