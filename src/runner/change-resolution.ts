import type { Manifest } from '../manifest/manifest.js';
import type { SecretSource } from '../source/source.js';
import { diffEnvironments } from './build-env.js';
import { tryResolveManifest, type ResolvedEnv, type ResolveOptions } from './resolve-manifest.js';
import { formatResolveProblem } from './resolve-secrets.js';

// What a "may have changed" notice from the source amounts to, once the manifest is resolved
// again: the source is unavailable, some reference no longer resolves, nothing the command
// sees changed, or these variables changed. Reasons and problems never hold a value.
export type ChangeResolution =
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'unresolved'; readonly problems: readonly string[] }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'changed'; readonly names: readonly string[]; readonly next: ResolvedEnv };

// Resolves the manifest again and compares the command's environment with `current`.
export async function resolveChange(
  manifest: Manifest,
  source: SecretSource,
  options: ResolveOptions,
  current: ResolvedEnv,
): Promise<ChangeResolution> {
  let next: ResolvedEnv;
  try {
    next = await tryResolveManifest(manifest, source, options);
  } catch (error) {
    return { kind: 'unavailable', reason: `source unavailable (${(error as Error).message})` };
  }
  const unavailable = next.problems.find((problem) => problem.kind === 'unavailable');
  if (unavailable) return { kind: 'unavailable', reason: unavailable.reason };
  if (next.problems.length > 0) return { kind: 'unresolved', problems: next.problems.map(formatResolveProblem) };
  const names = diffEnvironments(current.env, next.env);
  return names.length === 0 ? { kind: 'unchanged' } : { kind: 'changed', names, next };
}
