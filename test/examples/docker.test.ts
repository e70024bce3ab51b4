// examples/docker without a Docker engine (none runs here): the Dockerfile is linted and its
// entrypoint contract checked, and the entrypoint runs as the container would run it — PID 1
// of its own PID namespace (unshare --pid --fork --mount-proc), tini in front as the Dockerfile
// says, the key from an environment variable or from a mounted secret file — with the real
// CLI. What only a Docker build shows (the base image, apt, npm install -g) is not exercised.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { openSecretStore } from '../../src/library/open-secret-store.js';
import { captureOutput, type CapturedOutput } from '../helpers/captured-output.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = join(root, 'examples', 'docker');
const leaveOrphan = join(root, 'test', 'fixtures', 'process', 'leave-orphan.sh');
const tini = '/usr/bin/tini';
const key = randomBytes(32).toString('base64');
const password = `pw-${randomBytes(6).toString('hex')}`;
const digest = (value: string): string => createHash('sha256').update(value).digest('hex');

const started: { pid: number | undefined; output: CapturedOutput }[] = [];
afterEach(async () => {
  for (const run of started.splice(0)) {
    // Ending unshare ends its namespace's PID 1 (--kill-child), and with it every process there.
    if (run.pid !== undefined) {
      try {
        process.kill(run.pid, 'SIGKILL');
      } catch {
        // It has ended already.
      }
    }
    await run.output.exited;
  }
});

// The image's /app as the Dockerfile builds it, with the store the README's steps create, and
// `secretrun` on PATH as `npm install --global` puts it there.
async function image(): Promise<{ app: string; env: Record<string, string> }> {
  const dir = makeTempDir();
  const app = join(dir, 'app');
  cpSync(example, app, { recursive: true });
  const store = await openSecretStore({ path: join(app, '.secretrun', 'store.json'), env: { SECRETRUN_KEY: key } });
  await store.write('secret/myapp/database', { host: 'db.internal', password });
  await store.close();
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'secretrun'), `#!/bin/sh\nexec '${process.execPath}' '${join(root, 'bin', 'secretrun.cjs')}' "$@"\n`, { mode: 0o755 });
  const env = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: dir, XDG_CACHE_HOME: join(dir, 'cache') };
  return { app, env };
}

// Starts `argv` as PID 1 of a new PID namespace, in `cwd`, with `env`.
function inContainer(argv: string[], cwd: string, env: Record<string, string>): CapturedOutput {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child=SIGTERM', ...argv], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(child);
  started.push({ pid: child.pid, output });
  return output;
}

describe('examples/docker: the Dockerfile', () => {
  const text = readFileSync(join(example, 'Dockerfile'), 'utf8');
  const instructions = DockerfileParser.parse(text).getInstructions();
  const argumentsOf = (keyword: string): string[] => instructions.filter((instruction) => instruction.getKeyword() === keyword).map((instruction) => instruction.getArgumentsContent() ?? '');

  it('lints clean (dockerfile-utils, the linter of VS Code\'s Docker support)', () => {
    expect(validate(text).map((problem) => `${problem.range.start.line + 1}: ${problem.message}`)).toEqual([]);
  });

  it('has tini as PID 1 in exec form, in front of the entrypoint script it copies, which is executable and parses', () => {
    const [entrypoint] = argumentsOf('ENTRYPOINT');
    const [command] = argumentsOf('CMD');
    expect(JSON.parse(entrypoint ?? '')).toEqual([tini, '--', '/app/entrypoint.sh']);
    expect(JSON.parse(command ?? '')).toEqual(['node', 'app.mjs']);
    expect(argumentsOf('WORKDIR')).toEqual(['/app']);
    expect(argumentsOf('RUN').some((run) => /apt-get install .*\btini\b/.test(run))).toBe(true);
    const copied = argumentsOf('COPY').flatMap((copy) => copy.split(/\s+/).slice(0, -1));
    expect(copied).toEqual(['secretrun-*.tgz', 'secretrun.yaml', 'app.mjs', 'entrypoint.sh', '.secretrun/store.json']);
    // What the example ships is in the build context; the tarball and store come from the README's steps.
    for (const file of ['secretrun.yaml', 'app.mjs', 'entrypoint.sh']) expect(existsSync(join(example, file))).toBe(true);
    accessSync(join(example, 'entrypoint.sh'), constants.X_OK);
    for (const run of [...argumentsOf('RUN'), readFileSync(join(example, 'entrypoint.sh'), 'utf8')]) execFileSync('sh', ['-n'], { input: run });
    const ignored = readFileSync(join(example, '.dockerignore'), 'utf8');
    for (const file of copied) expect(ignored).toContain(`!${file}`);
  });
});

describe('examples/docker: the entrypoint as the container runs it', () => {
  it('runs the command under tini with the key from SECRETRUN_KEY; tini passes SIGTERM on and reaps orphans', async () => {
    const { app, env } = await image();
    const container = inContainer([tini, '--', join(app, 'entrypoint.sh'), 'node', 'app.mjs'], app, { ...env, SECRETRUN_KEY: key });
    await waitFor('the application to start', () => container.stdout().includes('connecting'));
    expect(container.stdout()).toBe(`connecting to db.internal with a password of ${password.length} characters\n`);
    // `docker stop`: SIGTERM to PID 1, which tini passes on through the runner to the command.
    // (unshare itself ignores SIGTERM while it waits; PID 1 is its one child.)
    const unshare = started[0]?.pid ?? 0;
    const pidOne = Number(readFileSync(`/proc/${unshare}/task/${unshare}/children`, 'utf8').trim());
    expect(readFileSync(`/proc/${pidOne}/cmdline`, 'utf8').split('\0')[0]).toBe(tini);
    process.kill(pidOne, 'SIGTERM');
    await container.exited;
    expect(container.stdout()).toContain('stopping on SIGTERM\n');
    expect(container.stderr()).toBe('');

    const orphans = inContainer([tini, '--', join(app, 'entrypoint.sh'), leaveOrphan], app, { ...env, SECRETRUN_KEY: key });
    expect(await orphans.exited).toEqual({ code: 0, signal: null });
    expect(orphans.stdout()).toBe("orphan's parent: 1\nreaped\n");
  });

  it('reads the key from a mounted secret file, and gives the command neither the key nor its path', async () => {
    const { app, env } = await image();
    const secrets = makeTempDir();
    writeFileSync(join(secrets, 'secretrun_key'), `${key}\n`, { mode: 0o400 });
    const script = 'printf "%s\\n" "$(printf %s "$DB_PASSWORD" | sha256sum | cut -d" " -f1)" "$DB_PASSWORD" "$(env | grep -c SECRETRUN || true)"';
    const container = inContainer([tini, '--', join(app, 'entrypoint.sh'), 'sh', '-c', script], app, { ...env, SECRETRUN_KEY_SECRET: join(secrets, 'secretrun_key') });
    expect(await container.exited).toEqual({ code: 0, signal: null });
    expect(container.stdout()).toBe(`${digest(password)}\n<concealed by secretrun>\n0\n`);
    // Without any key the runner says where it looked, and the command never starts.
    const keyless = inContainer([tini, '--', join(app, 'entrypoint.sh'), 'sh', '-c', 'echo started'], app, { ...env, SECRETRUN_KEY_SECRET: join(secrets, 'absent') });
    expect((await keyless.exited).code).toBe(3);
    expect(keyless.stdout()).toBe('');
    expect(keyless.stderr()).toContain('no key for store');
  });

  it('warns when the runner itself is PID 1 (no tini, no --init), where orphans stay zombies', async () => {
    const { app, env } = await image();
    const container = inContainer([join(app, 'entrypoint.sh'), leaveOrphan, 'until-zombie'], app, { ...env, SECRETRUN_KEY: key });
    expect(await container.exited).toEqual({ code: 0, signal: null });
    expect(container.stdout()).toBe("orphan's parent: 1\nzombie\n");
    expect(container.stderr()).toBe(
      'secretrun: running as PID 1, which cannot reap the orphaned processes a command leaves behind (Node waits only for its own children); they stay zombies. Run it under an init: `docker run --init`, or tini as the ENTRYPOINT (see examples/docker)\n',
    );
  });
});
