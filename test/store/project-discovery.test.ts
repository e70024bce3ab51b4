import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverProject, fileSystemProbe, findProject, resolveProjectStorePath, type PathProbe } from '../../src/store/project-discovery.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// A temp tree: `home` stands for $HOME; paths under it are made as directories, and files
// named secretrun.yaml are written.
function tree(paths: readonly string[]): { home: string; at: (path: string) => string } {
  const home = makeTempDir('secretrun-discovery-');
  for (const path of paths) {
    const full = join(home, path);
    if (path.endsWith('secretrun.yaml') || path.endsWith('.git-file')) {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full.replace(/\.git-file$/, '.git'), 'env: {}\n');
    } else mkdirSync(full, { recursive: true });
  }
  return { home, at: (path) => join(home, path) };
}

describe('findProject', () => {
  it('finds secretrun.yaml in the working directory first', () => {
    const t = tree(['p/secretrun.yaml', 'p/.secretrun', 'p/a/secretrun.yaml']);
    expect(discoverProject(t.at('p/a'), { HOME: t.home })).toEqual({ project: { dir: t.at('p/a'), manifest: t.at('p/a/secretrun.yaml') } });
  });

  it('walks up to the nearest directory holding secretrun.yaml or .secretrun/', () => {
    const t = tree(['p/secretrun.yaml', 'p/q/.secretrun', 'p/q/a/b/c']);
    expect(discoverProject(t.at('p/q/a/b/c'), { HOME: t.home })).toEqual({ project: { dir: t.at('p/q'), manifest: undefined } });
    expect(discoverProject(t.at('p'), { HOME: t.home })).toEqual({ project: { dir: t.at('p'), manifest: t.at('p/secretrun.yaml') } });
  });

  it('does not take a file named .secretrun or a directory named secretrun.yaml for a project', () => {
    const t = tree(['p/secretrun.yaml', 'p/a/secretrun.yaml/x', 'p/a/b']);
    writeFileSync(t.at('p/a/b/.secretrun'), '');
    expect(discoverProject(t.at('p/a/b'), { HOME: t.home }).project?.dir).toBe(t.at('p'));
  });

  it('stops at a repository root (.git directory or file) that is not a project', () => {
    const t = tree(['p/secretrun.yaml', 'p/repo/.git', 'p/repo/a', 'p/sub/.git-file', 'p/sub/x']);
    expect(discoverProject(t.at('p/repo/a'), { HOME: t.home })).toEqual({ project: undefined, stoppedAt: t.at('p/repo'), boundary: 'git' });
    expect(discoverProject(t.at('p/sub/x'), { HOME: t.home })).toEqual({ project: undefined, stoppedAt: t.at('p/sub'), boundary: 'git' });
  });

  it('finds a project at a repository root', () => {
    const t = tree(['repo/.git', 'repo/.secretrun', 'repo/a/b']);
    expect(discoverProject(t.at('repo/a/b'), { HOME: t.home }).project?.dir).toBe(t.at('repo'));
  });

  it('never walks up into $HOME, but looks there when it is the working directory', () => {
    const t = tree(['secretrun.yaml', 'p/a']);
    expect(discoverProject(t.at('p/a'), { HOME: t.home })).toEqual({ project: undefined, stoppedAt: t.at('p'), boundary: 'home' });
    expect(discoverProject(t.home, { HOME: t.home }).project?.dir).toBe(t.home);
  });

  it('never crosses onto another file system', () => {
    const t = tree(['secretrun.yaml', 'mnt/a/b']);
    // A mount point cannot be made without privileges: the probe reports mnt/ on a device of
    // its own, as stat does for a mount's root; everything else is the real file system.
    const mounted: PathProbe = {
      kind: fileSystemProbe.kind,
      device: (path) => (path === t.at('mnt') || path.startsWith(`${t.at('mnt')}/`) ? 99_999 : fileSystemProbe.device(path)),
    };
    expect(findProject(t.at('mnt/a/b'), '/nonexistent-home', mounted)).toEqual({ project: undefined, stoppedAt: t.at('mnt'), boundary: 'mount' });
    // Without the mount, the same walk reaches the project above.
    expect(findProject(t.at('mnt/a/b'), '/nonexistent-home', fileSystemProbe).project?.dir).toBe(t.home);
  });

  it('costs one stat call at a root holding secretrun.yaml, two with only .secretrun/, 22 from five levels below', () => {
    const t = tree(['p/secretrun.yaml', 'q/.secretrun', 'p/a/b/c/d/e']);
    let calls = 0;
    const counting: PathProbe = {
      kind: (path) => (calls++, fileSystemProbe.kind(path)),
      device: (path) => (calls++, fileSystemProbe.device(path)),
    };
    const walk = (cwd: string): number => {
      calls = 0;
      findProject(cwd, t.home, counting);
      return calls;
    };
    expect(walk(t.at('p'))).toBe(1);
    expect(walk(t.at('q'))).toBe(2);
    expect(walk(t.at('p/a/b/c/d/e'))).toBe(22);
  });

  it('stops at the file system root', () => {
    const empty: PathProbe = { kind: () => undefined, device: () => 1 };
    expect(findProject('/a/b', undefined, empty)).toEqual({ project: undefined, stoppedAt: '/', boundary: 'root' });
  });
});

describe('resolveProjectStorePath', () => {
  it('takes an explicit path, then SECRETRUN_STORE, both from the working directory, before the project', () => {
    const t = tree(['p/.secretrun', 'p/a']);
    const env = { HOME: t.home };
    expect(resolveProjectStorePath(t.at('p/a'), env)).toBe(t.at('p/.secretrun/store.json'));
    expect(resolveProjectStorePath(t.at('p/a'), { ...env, SECRETRUN_STORE: 'x.json' })).toBe(t.at('p/a/x.json'));
    expect(resolveProjectStorePath(t.at('p/a'), { ...env, SECRETRUN_STORE: 'x.json' }, 'y.json')).toBe(t.at('p/a/y.json'));
  });

  it('is the working directory\'s .secretrun/store.json outside any project', () => {
    const t = tree(['p/a']);
    expect(resolveProjectStorePath(t.at('p/a'), { HOME: t.home })).toBe(t.at('p/a/.secretrun/store.json'));
  });
});
