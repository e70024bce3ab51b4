import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { isSecretrunError } from '../../errors.js';
import { driverName, renderStoreAttributes } from '../../team/git-attributes.js';
import { readGitAttributes, readGitConfig, readGitIgnored, readRepoRoot, type GitContext } from '../../team/git-process.js';
import type { GitStatus, StatusProblem } from './status-report.js';

// How git treats a store, for `secretrun status`: a store in a work tree that git does not
// ignore is merged and diffed by git, so it needs `/store.json -text merge=secretrun
// diff=secretrun` in its .gitattributes and the drivers defined in this clone's git config
// (docs/git.md). Asks git itself, as `git setup` does, so what is reported is what git does.

const wanted: Readonly<Record<string, string>> = { merge: driverName, diff: driverName, text: 'unset' };

// The nearest existing directory at or above the store's (the store may not exist yet).
function existingDir(path: string): string {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

// The git status of the store at `path`, and its problems.
export async function readGitStatus(path: string, env: Readonly<Record<string, string | undefined>>): Promise<{ status: GitStatus; problems: StatusProblem[] }> {
  const git: GitContext = { cwd: existingDir(path), env };
  let repo: string;
  try {
    repo = await readRepoRoot(git);
  } catch (error) {
    // Outside a work tree, or no git at all: nothing merges the store, nothing to set up.
    const note = isSecretrunError(error) && error.message.startsWith('cannot run git') ? 'git not found' : 'not in a git work tree';
    return { status: { repo: undefined, note }, problems: [] };
  }
  if (await readGitIgnored(git, path)) return { status: { repo, ignored: true }, problems: [] };
  const attributes = await readGitAttributes(git, path, Object.keys(wanted));
  const mergeDriver = (await readGitConfig(git, `merge.${driverName}.driver`)) !== undefined;
  const textconv = (await readGitConfig(git, `diff.${driverName}.textconv`)) !== undefined;
  const problems: StatusProblem[] = [];
  const wrong = Object.entries(wanted).filter(([name, value]) => attributes[name] !== value);
  if (wrong.length > 0) {
    const line = renderStoreAttributes(path.slice(dirname(path).length + 1)) ?? '/<store> -text merge=secretrun diff=secretrun';
    problems.push({
      topic: 'git',
      problem: `git gives ${path} ${wrong.map(([name]) => `${name}=${attributes[name] ?? 'unspecified'}`).join(' ')}, so a merge of two branches' stores conflicts line by line${attributes['text'] !== 'unset' ? ' and line endings may be converted' : ''}.`,
      fix: `Run "secretrun git setup" (it adds "${line}" to the .gitattributes beside the store; commit it).`,
    });
  }
  if (!mergeDriver || !textconv) {
    const missing = [...(mergeDriver ? [] : [`merge.${driverName}.driver`]), ...(textconv ? [] : [`diff.${driverName}.textconv`])];
    problems.push({
      topic: 'git',
      problem: `this clone's git config does not define ${missing.join(' and ')}, so git cannot run secretrun's ${missing.length === 2 ? 'merge and diff drivers' : mergeDriver ? 'diff driver' : 'merge driver'}.`,
      fix: 'Run "secretrun git setup" in this clone (or "secretrun git setup -global" once for all your clones).',
    });
  }
  return { status: { repo, ignored: false, attributes, mergeDriver, textconv }, problems };
}
