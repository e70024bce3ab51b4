import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { CliSandbox } from './run-cli.js';
import { createSandbox, expectExit, expectNoSecrets } from './run-cli.js';

// The store through real git merges and diffs, with the drivers `secretrun git setup` defines
// running the built CLI. Today's single-root-key stores; the same flow for recipient stores
// comes with their header (docs/keys.md).

interface Repo {
  sandbox: CliSandbox;
  git: (...args: string[]) => Promise<{ stdout: string; stderr: string; exitCode: number }>;
  kv: (...args: string[]) => Promise<string>;
}

async function createRepo(): Promise<Repo> {
  const sandbox = createSandbox();
  const env = { ...sandbox.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  const git = async (...args: string[]) => {
    const result = await execa('git', args, { cwd: sandbox.dir, env, extendEnv: false, reject: false });
    return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
  };
  const kv = async (...args: string[]) => expectExit(await sandbox.run(['kv', ...args]), 0).stdout;
  expect((await git('init', '-q', '-b', 'main')).exitCode).toBe(0);
  // The sandbox's HOME is the repository: keep secretrun's caches ($HOME/.cache, written by
  // every command, the merge driver among them) out of what is committed and compared.
  writeFileSync(join(sandbox.dir, '.gitignore'), '.cache/\n');
  return { sandbox, git, kv };
}

async function setup(repo: Repo): Promise<void> {
  const result = expectExit(await repo.sandbox.run(['git', 'setup', `-command=${repo.sandbox.binDir()}/secretrun`]), 0);
  expect(result.stdout).toContain('Wrote .secretrun/.gitattributes: /store.json -text merge=secretrun diff=secretrun');
}

async function commitAll(repo: Repo, message: string): Promise<void> {
  await repo.git('add', '-A');
  expect((await repo.git('commit', '-qm', message)).exitCode).toBe(0);
}

// Two branches from one base: `ours` edits on main, `theirs` on a branch.
async function branches(repo: Repo, theirs: () => Promise<void>, ours: () => Promise<void>): Promise<void> {
  await repo.git('checkout', '-qb', 'theirs');
  await theirs();
  await commitAll(repo, 'theirs');
  await repo.git('checkout', '-q', 'main');
  await ours();
  await commitAll(repo, 'ours');
}

const field = (repo: Repo, path: string, name = 'v') => repo.kv('get', `-field=${name}`, path);

describe('a store in git', () => {
  it('merges two branches that added, changed and deleted different secrets, into a store that verifies and holds all of them', async () => {
    const repo = await createRepo();
    await repo.kv('put', 'secret/app/db', 'v=base-db-1');
    await repo.kv('put', 'secret/app/old', 'v=base-old-1');
    await repo.kv('put', 'secret/app/api', 'v=base-api-1');
    await setup(repo);
    await commitAll(repo, 'base');
    await branches(
      repo,
      async () => {
        await repo.kv('put', 'secret/app/queue', 'v=theirs-queue-1');
        await repo.kv('put', 'secret/app/api', 'v=theirs-api-2');
        await repo.kv('metadata', 'delete', 'secret/app/old');
      },
      async () => {
        await repo.kv('put', 'secret/app/cache', 'v=ours-cache-1');
        await repo.kv('put', 'secret/app/db', 'v=ours-db-2');
        await repo.kv('delete', '-versions=1', 'secret/app/api');
      },
    );
    const merge = await repo.git('merge', '--no-edit', 'theirs');
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect(merge.stderr).toContain('secretrun: merged .secretrun/store.json secret by secret');
    expect(await field(repo, 'secret/app/queue')).toBe('theirs-queue-1');
    expect(await field(repo, 'secret/app/cache')).toBe('ours-cache-1');
    expect(await field(repo, 'secret/app/db')).toBe('ours-db-2');
    expect(await field(repo, 'secret/app/api')).toBe('theirs-api-2');
    const api = JSON.parse(await repo.kv('metadata', 'get', '-format=json', 'secret/app/api')) as { data: { versions: Record<string, { deletion_time: string }> } };
    expect(api.data.versions['1']?.deletion_time).not.toBe('');
    expectExit(await repo.sandbox.run(['kv', 'get', 'secret/app/old']), 2);
    expect((await repo.git('status', '--porcelain')).stdout).toBe('');
    expect(readFileSync(repo.sandbox.storePath, 'utf8')).not.toContain('<<<<<<<');
  });

  it('reports a secret changed on both sides by path, never by value, and keeps both versions in a store that verifies', async () => {
    const repo = await createRepo();
    await repo.kv('put', 'secret/app/db', 'v=base-db-1');
    await setup(repo);
    await commitAll(repo, 'base');
    await branches(
      repo,
      async () => void (await repo.kv('put', 'secret/app/db', 'v=theirs-db-2')),
      async () => void (await repo.kv('put', 'secret/app/db', 'v=ours-db-2')),
    );
    const merge = await repo.git('merge', '--no-edit', 'theirs');
    expect(merge.exitCode).toBe(1);
    expect(merge.stderr).toContain('secret/app/db: both sides wrote new versions (ours 2, theirs 2, now 3)');
    expectNoSecrets(merge.stdout + merge.stderr, ['base-db-1', 'theirs-db-2', 'ours-db-2'], "git's output");
    // The merged store verifies and holds both; the person merging picks one and commits.
    expect(await field(repo, 'secret/app/db')).toBe('theirs-db-2');
    expect(await repo.kv('get', '-version=2', '-field=v', 'secret/app/db')).toBe('ours-db-2');
    await repo.kv('rollback', '-version=2', 'secret/app/db');
    await commitAll(repo, 'merged');
    expect(await field(repo, 'secret/app/db')).toBe('ours-db-2');
  });

  it('shows changed paths and versions in git diff, never a value', async () => {
    const repo = await createRepo();
    await repo.kv('put', 'secret/app/db', 'v=diff-secret-1');
    await setup(repo);
    await commitAll(repo, 'base');
    await repo.kv('put', 'secret/app/db', 'v=diff-secret-2');
    await repo.kv('put', 'secret/app/new', 'v=diff-secret-3');
    const diff = await repo.git('diff', '-U20');
    expect(diff.exitCode).toBe(0);
    const changed = diff.stdout.split('\n').filter((line) => /^[-+][^-+]/.test(line));
    expect(changed).toEqual(['-secret/app/db v1 live current', '+secret/app/db v1 live', '+secret/app/db v2 live current', '+secret/app/new v1 live current']);
    expect(diff.stdout).toContain(' opens with: one shared root key');
    expectNoSecrets(diff.stdout, ['diff-secret-1', 'diff-secret-2', 'diff-secret-3'], 'git diff');
  });

  it('finishes a merge git made line by line before setup, with git checkout --merge', async () => {
    const repo = await createRepo();
    await repo.kv('put', 'secret/app/db', 'v=base-1');
    await commitAll(repo, 'base');
    await branches(
      repo,
      async () => void (await repo.kv('put', 'secret/app/theirs', 'v=t-1')),
      async () => void (await repo.kv('put', 'secret/app/ours', 'v=o-1')),
    );
    expect((await repo.git('merge', '--no-edit', 'theirs')).exitCode).toBe(1);
    expect(readFileSync(repo.sandbox.storePath, 'utf8')).toContain('<<<<<<<');
    await setup(repo);
    expect((await repo.git('checkout', '--merge', '--', '.secretrun/store.json')).exitCode).toBe(0);
    expect(await field(repo, 'secret/app/theirs')).toBe('t-1');
    expect(await field(repo, 'secret/app/ours')).toBe('o-1');
    await commitAll(repo, 'merged');
  });

  it('refuses to merge without the key, writing nothing', async () => {
    const repo = await createRepo();
    await repo.kv('put', 'secret/app/db', 'v=base-1');
    await setup(repo);
    await commitAll(repo, 'base');
    await branches(
      repo,
      async () => void (await repo.kv('put', 'secret/app/theirs', 'v=t-1')),
      async () => void (await repo.kv('put', 'secret/app/ours', 'v=o-1')),
    );
    const before = readFileSync(repo.sandbox.storePath, 'utf8');
    const wrongKey = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    const result = await execa('git', ['merge', '--no-edit', 'theirs'], {
      cwd: repo.sandbox.dir,
      env: { ...repo.sandbox.env, SECRETRUN_KEY: wrongKey, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
      extendEnv: false,
      reject: false,
    });
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toContain('cannot merge: ours (the branch being merged into): cannot decrypt');
    // git leaves ours in place when the driver fails: still the store it was, whole.
    expect(readFileSync(repo.sandbox.storePath, 'utf8')).toBe(before);
  });
});
