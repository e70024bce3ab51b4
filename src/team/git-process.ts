import { execFile } from 'node:child_process';
import { SecretrunError } from '../errors.js';
import type { GitConfigEntry } from './git-config.js';

// Running git, for `secretrun git setup`: where the repository is, writing config entries, and
// asking git which attributes apply to a file (so what setup reports is what git will do).

// What a git process printed and how it exited.
interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Environment and working directory git runs with.
export interface GitContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

function runGit(context: GitContext, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: context.cwd, env: context.env as NodeJS.ProcessEnv, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(new SecretrunError('usage', `cannot run git: ${String(error.code ?? error.message)} (install git, or check PATH)`));
        return;
      }
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

// The top directory of the work tree holding `context.cwd`; a usage error outside one.
export async function readRepoRoot(context: GitContext): Promise<string> {
  const result = await runGit(context, ['rev-parse', '--show-toplevel']);
  if (result.code !== 0) throw new SecretrunError('usage', `${context.cwd} is not inside a git work tree (run \`git init\`, or pass -store=<a store inside one>)`);
  return result.stdout.trim();
}

// Sets config entries in the repository's config, or the user's global config.
export async function writeGitConfig(context: GitContext, entries: readonly GitConfigEntry[], global: boolean): Promise<void> {
  for (const { key, value } of entries) {
    const result = await runGit(context, ['config', global ? '--global' : '--local', key, value]);
    if (result.code !== 0) throw new SecretrunError('usage', `git config ${key} failed: ${result.stderr.trim()}`);
  }
}

// The values git gives `attributes` on `path` ("unspecified", "set", "unset" or a value).
export async function readGitAttributes(context: GitContext, path: string, attributes: readonly string[]): Promise<Record<string, string>> {
  const result = await runGit(context, ['check-attr', '-z', ...attributes, '--', path]);
  if (result.code !== 0) throw new SecretrunError('usage', `git check-attr failed: ${result.stderr.trim()}`);
  const fields = result.stdout.split('\0');
  const values: Record<string, string> = {};
  for (let i = 0; i + 2 < fields.length; i += 3) values[fields[i + 1] as string] = fields[i + 2] as string;
  return values;
}

// The value of a git config entry as git resolves it (local, global, system), or undefined when
// no file sets it.
export async function readGitConfig(context: GitContext, key: string): Promise<string | undefined> {
  const result = await runGit(context, ['config', '--get', key]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

// Does git ignore `path` (.gitignore, .git/info/exclude)? A store that git ignores is never
// merged, so it needs no merge driver.
export async function readGitIgnored(context: GitContext, path: string): Promise<boolean> {
  const result = await runGit(context, ['check-ignore', '-q', '--', path]);
  return result.code === 0;
}
