// examples/github-actions, examples/gitlab-ci and examples/ci-wrapper, run as their CI systems
// would run them: the workflow's `run:` steps in bash with GITHUB_ACTIONS=true and the log as
// pipes, the GitLab job's `script:` lines in one shell with GITLAB_CI=true, and the wrapper
// through pipes and under a pseudo-terminal. The project is a small one that depends on this
// checkout (npm installs it from a file: link, offline), as a user's project depends on the
// published package. What only GitHub or GitLab do (hiding ::add-mask:: values and masked
// variables in their log viewers) is not exercised; what secretrun prints for them is.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { openSecretStore } from '../../src/library/open-secret-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const examples = join(root, 'examples');
const key = randomBytes(32).toString('base64');
const password = `pw-${randomBytes(6).toString('hex')}`;
const token = `tok-${randomBytes(6).toString('hex')}`;
const url = `postgres://app:${password}@db.internal/app`;
const M = '<concealed by secretrun>';

// A user's project: secretrun as a devDependency (this checkout), a manifest, the encrypted
// store, and a test script that prints what it got.
async function project(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = makeTempDir();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ci-app', private: true, scripts: { test: 'node test.mjs' }, devDependencies: { secretrun: `file:${root}` } }));
  writeFileSync(
    join(dir, 'secretrun.yaml'),
    [
      'env:',
      '  DATABASE_URL: { template: "postgres://app:{{ secret/ci/database#password }}@{{ secret/ci/database#host }}/app" }',
      '  DB_HOST: { ref: secret/ci/database#host, mask: false }',
      '  API_TOKEN: secret/ci/api#token',
      '  FEATURE: secret/ci/api#feature',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'test.mjs'), "for (const name of ['DATABASE_URL', 'DB_HOST', 'API_TOKEN', 'FEATURE']) console.log(`${name}=${process.env[name]}`);\nprocess.exitCode = Number(process.env.EXIT_WITH ?? 0);\n");
  const store = await openSecretStore({ path: join(dir, '.secretrun', 'store.json'), env: { SECRETRUN_KEY: key } });
  await store.write('secret/ci/database', { host: 'db.internal', password });
  await store.write('secret/ci/api', { token, feature: 'yes' });
  await store.close();
  // What the CI machine has: node and npm on PATH, an empty home, no network for npm.
  const env = {
    PATH: `${join(process.execPath, '..')}:/usr/bin:/bin`,
    HOME: dir,
    XDG_CACHE_HOME: join(dir, '.cache'),
    XDG_CONFIG_HOME: join(dir, '.config'),
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    CI: 'true',
  };
  execFileSync('npm', ['install', '--package-lock-only'], { cwd: dir, env, stdio: 'ignore' });
  return { dir, env };
}

// Only secretrun's own ::add-mask:: lines may hold a value: Actions hides those.
function withoutMaskLines(log: string): string {
  return log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

describe('examples/github-actions', () => {
  it('runs the workflow\'s run: steps as Actions does, registering and masking the secrets', async () => {
    const { dir, env } = await project();
    copyFileSync(join(examples, 'github-actions', 'test.yml'), join(dir, 'test.yml'));
    const workflow = parse(readFileSync(join(dir, 'test.yml'), 'utf8')) as { jobs: Record<string, { env?: Record<string, string>; steps: { run?: string; uses?: string; env?: Record<string, string> }[] }> };
    const job = workflow.jobs['test'];
    expect(job?.steps.filter((step) => step.uses !== undefined).map((step) => step.uses)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4']);
    const secrets: Record<string, string> = { SECRETRUN_KEY: key };
    const expression = (text: string): string => text.replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, (_, name: string) => secrets[name] ?? '');
    const logs: string[] = [];
    for (const step of job?.steps ?? []) {
      if (step.run === undefined) continue;
      const stepEnv = Object.fromEntries(Object.entries({ ...job?.env, ...step.env }).map(([name, value]) => [name, expression(String(value))]));
      // GitHub's bash on ubuntu runners: bash --noprofile --norc -eo pipefail {0}, stdout and stderr pipes.
      const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
        cwd: dir,
        env: { ...env, ...stepEnv, GITHUB_ACTIONS: 'true', RUNNER_OS: 'Linux' },
        extendEnv: false,
        reject: false,
        all: true,
      });
      expect(result.exitCode, `${step.run}\n${result.all}`).toBe(0);
      logs.push(result.all ?? '');
      if (step.run.includes('secretrun run')) {
        expect(result.stdout).toContain(['DATABASE_URL=' + M, 'DB_HOST=db.internal', `API_TOKEN=${M}`, 'FEATURE=yes'].join('\n'));
        // Registered before the command ran, on stderr: the values the runner masks, no shorter
        // one (`yes`) and none the manifest marks as not secret (the host).
        expect(result.stderr.split('\n').filter((line) => line.startsWith('::add-mask::')).sort()).toEqual([`::add-mask::${password}`, `::add-mask::${token}`, `::add-mask::${url}`].sort());
      }
      if (step.run.includes('secretrun check')) expect(result.stdout).toContain('ok: 4 variables resolved');
    }
    expect(logs).toHaveLength(3);
    for (const value of [password, token, url, key]) expect(withoutMaskLines(logs.join('\n'))).not.toContain(value);
  });
});

describe('examples/gitlab-ci', () => {
  it('runs the job\'s script: lines as a GitLab runner does, masking the secrets in the log', async () => {
    const { dir, env } = await project();
    const config = parse(readFileSync(join(examples, 'gitlab-ci', '.gitlab-ci.yml'), 'utf8')) as Record<string, { script: string[]; variables?: Record<string, string> }>;
    const job = config['test'];
    expect(job?.script).toEqual(['npm ci', 'npx secretrun check', 'npx secretrun run --once -- npm test']);
    // One shell for the whole script, stopping at the first failing line, the log a pipe.
    const result = await execa('sh', ['-e', '-c', (job?.script ?? []).join('\n')], {
      cwd: dir,
      env: { ...env, ...job?.variables, SECRETRUN_KEY: key, GITLAB_CI: 'true', CI_JOB_NAME: 'test' },
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain(['DATABASE_URL=' + M, 'DB_HOST=db.internal', `API_TOKEN=${M}`, 'FEATURE=yes'].join('\n'));
    expect(result.all).not.toContain('::add-mask::');
    for (const value of [password, token, url, key]) expect(result.all).not.toContain(value);
  });
});

describe('examples/ci-wrapper', () => {
  const wrapper = join(examples, 'ci-wrapper', 'ci-run.sh');

  it('checks, runs once and masks, through pipes and under a terminal, with the command\'s exit code', async () => {
    const { dir, env } = await project();
    execFileSync('npm', ['ci'], { cwd: dir, env, stdio: 'ignore' });
    const wrapped = { ...env, SECRETRUN_KEY: key, SECRETRUN: 'npx secretrun' };
    const piped = await execa(wrapper, ['npm', 'test'], { cwd: dir, env: wrapped, extendEnv: false, reject: false });
    expect(piped.exitCode).toBe(0);
    expect(piped.stdout).toContain(['DATABASE_URL=' + M, 'DB_HOST=db.internal', `API_TOKEN=${M}`, 'FEATURE=yes'].join('\n'));
    expect(piped.stderr).toContain('ok: 4 variables resolved');
    // Under a pseudo-terminal (as some CI systems run steps), where `mask: auto` would not mask.
    const terminal = await execa('script', ['-q', '-e', '-c', `${wrapper} node test.mjs`, '/dev/null'], { cwd: dir, env: { ...wrapped, EXIT_WITH: '3' }, extendEnv: false, reject: false });
    expect(terminal.exitCode).toBe(3);
    expect(terminal.stdout.replace(/\r/g, '')).toContain(['DATABASE_URL=' + M, 'DB_HOST=db.internal', `API_TOKEN=${M}`, 'FEATURE=yes'].join('\n'));
    for (const value of [password, token, url, key]) expect(piped.stdout + piped.stderr + terminal.stdout).not.toContain(value);
  });

  it('stops before the command when a secret is missing (exit 7), and asks for a command', async () => {
    const { dir, env } = await project();
    execFileSync('npm', ['ci'], { cwd: dir, env, stdio: 'ignore' });
    writeFileSync(join(dir, 'secretrun.yaml'), 'env:\n  GONE: secret/ci/nowhere#x\n');
    const missing = await execa(wrapper, ['sh', '-c', 'echo started'], { cwd: dir, env: { ...env, SECRETRUN_KEY: key, SECRETRUN: 'npx secretrun' }, extendEnv: false, reject: false });
    expect(missing.exitCode).toBe(7);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('GONE: secret/ci/nowhere#x: no secret at this path');
    const bare = await execa(wrapper, [], { cwd: dir, env, extendEnv: false, reject: false });
    expect(bare).toMatchObject({ exitCode: 2, stderr: 'usage: ci-run.sh COMMAND [ARGS...]' });
  });
});
