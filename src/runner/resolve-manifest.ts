import { promises as fs } from 'node:fs';
import { SecretrunError } from '../errors.js';
import { sourceCredentialNames, type Manifest } from '../manifest/manifest.js';
import type { SecretSource } from '../source/source.js';
import { buildEnvironment } from './build-env.js';
import { checkEnvValue, createEnvRecord } from './env-record.js';
import { formatResolveProblem, resolveSecrets } from './resolve-secrets.js';
import type { ResolveProblem, SecretLayer } from './resolve-secrets.js';

// Everything a run needs: the child's full environment plus what it was built from.
export interface ResolvedEnv extends SecretLayer {
  /** The complete environment for the child. */
  readonly env: Readonly<Record<string, string>>;
  /** The dotenv layer, merged in file order. */
  readonly dotenv: Readonly<Record<string, string>>;
}

// Options for building the full environment.
export interface ResolveOptions {
  /** The inherited environment (the entry point passes the process's). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the command runs: on Windows variable names are case-insensitive. */
  readonly platform?: NodeJS.Platform;
}

// The dotenv layer, and what in it cannot reach a command.
interface DotenvFiles {
  readonly values: Record<string, string>;
  readonly problems: ResolveProblem[];
}

// A line of a dotenv file setting `__proto__`: the dotenv parser drops it without a word.
const protoLine = /^[ \t]*(?:export[ \t]+)?__proto__[ \t]*[=:]/m;

// Reads the manifest's dotenv files in order (later files win). dotenv is imported only
// when a manifest lists files, to keep it off the start-up path otherwise.
async function readDotenvFiles(files: readonly string[]): Promise<DotenvFiles> {
  const values = createEnvRecord();
  const problems: ResolveProblem[] = [];
  if (files.length === 0) return { values, problems };
  const { parse } = await import('./dotenv-parse.js');
  const fileOf = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (cause) {
      throw new SecretrunError('manifest_invalid', `cannot read dotenv file: ${file}`, { cause, hint: 'Create the file or remove it from dotenv:.' });
    }
    if (protoLine.test(text)) problems.push({ name: '__proto__', ref: 'dotenv', kind: 'invalid', reason: 'the dotenv parser cannot read this name; rename the variable', where: file });
    for (const [name, value] of Object.entries(parse(text))) {
      values[name] = value;
      fileOf.set(name, file);
    }
  }
  for (const name of Object.keys(values)) {
    const invalid = checkEnvValue(values[name] ?? '');
    if (invalid === undefined) continue;
    problems.push({ name, ref: 'dotenv', kind: 'invalid', reason: invalid, where: fileOf.get(name) ?? '' });
    delete values[name];
  }
  return { values, problems };
}

// Reads the manifest's dotenv files in order (later files win) into one layer.
export async function readDotenvLayer(files: readonly string[]): Promise<Record<string, string>> {
  return (await readDotenvFiles(files)).values;
}

// The error for a resolution with problems: every variable and reference, never a value.
export function unresolvedError(layer: SecretLayer): SecretrunError {
  const lines = layer.problems.map(formatResolveProblem);
  const count = lines.length === 1 ? '1 reference' : `${lines.length} references`;
  return new SecretrunError('reference_unresolved', `cannot resolve ${count}:\n  ${lines.join('\n  ')}`, {
    hint: 'Write the missing secrets, fix the references, or mark variables optional.',
    details: lines,
  });
}

// Resolves a manifest into the child's environment, keeping problems in the result (for
// `check` and for re-resolution while a command runs). Throws only when the source does.
export async function tryResolveManifest(manifest: Manifest, source: SecretSource, options: ResolveOptions): Promise<ResolvedEnv> {
  const [layer, dotenvFiles] = await Promise.all([resolveSecrets(manifest, source), readDotenvFiles(manifest.dotenv)]);
  const dotenv = dotenvFiles.values;
  const env = buildEnvironment({
    inherited: options.env,
    pristine: manifest.pristine,
    allow: manifest.inherit.allow,
    deny: manifest.inherit.deny,
    dotenv,
    secrets: layer.values,
    keepCredentials: manifest.keepCredentials,
    sourceCredentials: sourceCredentialNames(manifest.source),
    caseInsensitive: options.platform === 'win32',
  });
  const problems = [...layer.problems, ...dotenvFiles.problems.filter((problem) => !Object.hasOwn(layer.values, problem.name))];
  return { ...layer, problems, env, dotenv };
}

// Resolves a manifest into the child's environment, or throws 'reference_unresolved'
// listing every problem (before any command starts).
export async function resolveManifest(manifest: Manifest, source: SecretSource, options: ResolveOptions): Promise<ResolvedEnv> {
  const resolved = await tryResolveManifest(manifest, source, options);
  if (resolved.problems.length > 0) throw unresolvedError(resolved);
  return resolved;
}
