import { foreignCredentials, runnerCredentials } from '../manifest/manifest.js';
import type { RunnerCredential } from '../manifest/manifest.js';
import { matchesAnyGlob } from './name-glob.js';
import { createEnvRecord } from './env-record.js';

// The layers of a child's environment, lowest first.
export interface EnvLayers {
  /** The runner's own environment, as the entry point passed it. */
  readonly inherited: Readonly<Record<string, string | undefined>>;
  /** Start from nothing instead of `inherited`. */
  readonly pristine: boolean;
  /** Keep only inherited names matching one of these (all when undefined). */
  readonly allow: readonly string[] | undefined;
  /** Drop inherited names matching one of these; wins over allow. */
  readonly deny: readonly string[];
  /** Values from dotenv files, already merged in file order. */
  readonly dotenv: Readonly<Record<string, string>>;
  /** Values resolved from secrets: the top layer. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Runner credentials allowed through from the inherited and dotenv layers. */
  readonly keepCredentials: readonly RunnerCredential[];
  /** Variables holding the remote source's own credentials (token_env, secret_id_env): always removed. */
  readonly sourceCredentials?: readonly string[];
  /**
   * Names are case-insensitive (Windows): `Path` and `PATH` are one variable, so a layer's name
   * replaces every spelling of it, patterns match any case, and a credential is removed
   * whatever its case (`secretrun_key` is SECRETRUN_KEY to Windows and to the command).
   */
  readonly caseInsensitive?: boolean;
}

// The keys of `env` that name `name`: itself, or every spelling of it when case does not count.
function keysNamed(env: Record<string, string>, name: string, caseInsensitive: boolean): string[] {
  if (!caseInsensitive) return name in env ? [name] : [];
  const wanted = name.toUpperCase();
  return Object.keys(env).filter((key) => key.toUpperCase() === wanted);
}

// Puts a layer over `env`; with case-insensitive names, a name replaces its other spellings.
function setLayer(env: Record<string, string>, layer: Readonly<Record<string, string>>, caseInsensitive: boolean): void {
  for (const [name, value] of Object.entries(layer)) {
    if (caseInsensitive) for (const key of keysNamed(env, name, true)) delete env[key];
    env[name] = value;
  }
}

// Builds the child's environment: inherited (filtered) → dotenv → secrets. The runner's
// credentials are removed from the lower layers unless kept (other commands' always); a secret
// the manifest maps to such a name is set on purpose and stays. Pure.
export function buildEnvironment(layers: EnvLayers): Record<string, string> {
  const env = createEnvRecord();
  const insensitive = layers.caseInsensitive === true;
  const matches = (name: string, patterns: readonly string[]): boolean =>
    insensitive ? matchesAnyGlob(name.toUpperCase(), patterns.map((pattern) => pattern.toUpperCase())) : matchesAnyGlob(name, patterns);
  if (!layers.pristine) {
    for (const [name, value] of Object.entries(layers.inherited)) {
      if (value === undefined) continue;
      if (layers.allow !== undefined && !matches(name, layers.allow)) continue;
      if (matches(name, layers.deny)) continue;
      env[name] = value;
    }
  }
  setLayer(env, layers.dotenv, insensitive);
  const remove = (name: string): void => keysNamed(env, name, insensitive).forEach((key) => delete env[key]);
  for (const credential of runnerCredentials) {
    if (!layers.keepCredentials.includes(credential)) remove(credential);
  }
  for (const credential of foreignCredentials) remove(credential);
  for (const name of layers.sourceCredentials ?? []) {
    if (!(runnerCredentials as readonly string[]).includes(name) || !layers.keepCredentials.includes(name as RunnerCredential)) remove(name);
  }
  setLayer(env, layers.secrets, insensitive);
  return env;
}

// Names whose values differ between two environments (added, removed or changed), sorted.
export function diffEnvironments(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
