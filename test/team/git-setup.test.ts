import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addStoreAttributes, renderStoreAttributes } from '../../src/team/git-attributes.js';
import { renderDriverConfig } from '../../src/team/git-config.js';
import { readGitAttributes, readRepoRoot, writeGitConfig } from '../../src/team/git-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// git with no user or system config, so the tests see only what they set.
function gitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
}

function git(dir: string, env: Record<string, string>, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
}

function repo(): { dir: string; env: Record<string, string> } {
  const dir = makeTempDir('secretrun-git-');
  const env = gitEnv(join(dir, 'home'));
  mkdirSync(env['HOME'] as string);
  git(dir, env, 'init', '-q', '-b', 'main');
  return { dir, env };
}

describe('the .gitattributes line', () => {
  it('is added after existing lines, once', () => {
    expect(renderStoreAttributes('store.json')).toBe('/store.json -text merge=secretrun diff=secretrun');
    expect(addStoreAttributes('', 'store.json')).toBe('/store.json -text merge=secretrun diff=secretrun\n');
    expect(addStoreAttributes('/store.json -text', 'store.json')).toBe('/store.json -text\n/store.json -text merge=secretrun diff=secretrun\n');
    expect(addStoreAttributes('*.md text\n/store.json -text merge=secretrun diff=secretrun\n', 'store.json')).toBeUndefined();
    expect(addStoreAttributes('store.json diff=secretrun merge=secretrun -text\n', 'store.json')).toBeUndefined();
    expect(addStoreAttributes('/other.json -text merge=secretrun diff=secretrun\n', 'store.json')).toContain('/store.json');
    // A name git would read as a pattern, or split at a space, gets no line: setup asks for a plain name.
    for (const name of ['my store.json', 'store[1].json', 's*.json', '#x', '!x']) expect(renderStoreAttributes(name), name).toBeUndefined();
  });

  it('is what git reads for the store, beside the store, over an earlier line, and for nothing else', async () => {
    const { dir, env } = repo();
    mkdirSync(join(dir, '.secretrun'));
    writeFileSync(join(dir, '.gitattributes'), '*.json merge=binary diff=json\n');
    const file = join(dir, '.secretrun', '.gitattributes');
    writeFileSync(file, '/store.json -text\n');
    writeFileSync(file, addStoreAttributes(readFileSync(file, 'utf8'), 'store.json') as string);
    const context = { cwd: dir, env };
    expect(await readGitAttributes(context, '.secretrun/store.json', ['merge', 'diff', 'text'])).toEqual({ merge: 'secretrun', diff: 'secretrun', text: 'unset' });
    expect(await readGitAttributes(context, '.secretrun/sub/store.json', ['merge'])).toEqual({ merge: 'binary' });
    expect(await readGitAttributes(context, 'store.json', ['merge'])).toEqual({ merge: 'binary' });
    // A dot in the name is a dot: the line names one file.
    writeFileSync(file, addStoreAttributes('', 'team.store.json') as string);
    expect(await readGitAttributes(context, '.secretrun/team.store.json', ['merge'])).toEqual({ merge: 'secretrun' });
    expect(await readGitAttributes(context, '.secretrun/team-store.json', ['merge'])).toEqual({ merge: 'binary' });
  });
});

describe('the driver config', () => {
  it('is what git config reads, in the repository or globally', async () => {
    const { dir, env } = repo();
    const context = { cwd: join(dir), env };
    expect(await readRepoRoot(context)).toBe(execFileSync('realpath', [dir], { encoding: 'utf8' }).trim());
    await writeGitConfig(context, renderDriverConfig('secretrun'), false);
    expect(git(dir, env, 'config', '--local', '--get', 'merge.secretrun.driver').trim()).toBe('secretrun merge-driver %O %A %B %P');
    expect(git(dir, env, 'config', '--local', '--get', 'diff.secretrun.textconv').trim()).toBe('secretrun git textconv');
    expect(git(dir, env, 'config', '--local', '--get', 'merge.secretrun.name').trim()).toBe('secretrun store merge (secret by secret)');
    await writeGitConfig(context, renderDriverConfig('npx secretrun'), true);
    expect(git(dir, env, 'config', '--global', '--get', 'merge.secretrun.driver').trim()).toBe('npx secretrun merge-driver %O %A %B %P');
    await expect(readRepoRoot({ cwd: makeTempDir(), env })).rejects.toMatchObject({ code: 'usage' });
  });

  it('makes git run the drivers as documented: merge, then checkout --merge of a store merged without them, and diff', async () => {
    const { dir, env } = repo();
    // Outside the repository (git would see it), in a directory the test removes.
    const log = join(makeTempDir('secretrun-git-log-'), 'driver.log');
    const fake = join(env['HOME'] as string, 'fake-secretrun');
    // A stand-in for the CLI that records how git called it: the drivers' contract is git's.
    writeFileSync(fake, `#!/bin/sh\necho "$@" >> '${log}'\nif [ "$1" = merge-driver ]; then echo merged > "$3"; exit 0; fi\necho "listing: $(cat "$3")"\n`, { mode: 0o755 });
    mkdirSync(join(dir, '.secretrun'));
    writeFileSync(join(dir, '.secretrun', '.gitattributes'), addStoreAttributes('', 'store.json') as string);
    const store = join(dir, '.secretrun', 'store.json');
    writeFileSync(store, 'base\n');
    git(dir, env, 'add', '.');
    git(dir, env, 'commit', '-qm', 'base');
    git(dir, env, 'checkout', '-qb', 'theirs');
    writeFileSync(store, 'theirs\n');
    git(dir, env, 'commit', '-qam', 'theirs');
    git(dir, env, 'checkout', '-q', 'main');
    writeFileSync(store, 'ours\n');
    git(dir, env, 'commit', '-qam', 'ours');

    // Before setup the driver is not defined: git merges line by line and leaves markers.
    expect(() => git(dir, env, 'merge', '-q', '--no-edit', 'theirs')).toThrow();
    expect(readFileSync(store, 'utf8')).toContain('<<<<<<<');
    // What the conflict-marker error tells the user to do.
    await writeGitConfig({ cwd: dir, env }, renderDriverConfig(fake), false);
    git(dir, env, 'checkout', '--merge', '--', '.secretrun/store.json');
    expect(readFileSync(store, 'utf8')).toBe('merged\n');
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([expect.stringMatching(/^merge-driver \S+ \S+ \S+ \.secretrun\/store\.json$/)]);
    git(dir, env, 'commit', '-qam', 'merged');

    // After setup a merge runs the driver at once.
    git(dir, env, 'checkout', '-qb', 'again', 'theirs');
    writeFileSync(store, 'theirs again\n');
    git(dir, env, 'commit', '-qam', 'again');
    git(dir, env, 'checkout', '-q', 'main');
    git(dir, env, 'merge', '-q', '--no-edit', 'again');
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(2);

    writeFileSync(store, 'edited\n');
    const diff = git(dir, env, 'diff');
    expect(diff).toContain('-listing: merged');
    expect(diff).toContain('+listing: edited');
    expect(readFileSync(log, 'utf8')).toMatch(/git textconv \S+/);
  });
});
