import { resolve } from 'node:path';
import type { Manifest } from '../manifest/manifest.js';

// The files a run's configuration comes from, which the runner watches while the command
// runs: the manifest (absent when a run has only -e flags) and its dotenv files.
export function configFiles(manifest: Manifest, cwd: string): string[] {
  return [...(manifest.file === undefined ? [] : [resolve(cwd, manifest.file)]), ...manifest.dotenv];
}

// What reading the manifest again amounted to: the same manifest, one that is not valid (the
// run keeps the last valid one), or a new one, with notes on what of it applies only to the
// next run. Problems and notes name keys and positions, never a value.
export type ManifestReload =
  | { readonly kind: 'same' }
  | { readonly kind: 'invalid'; readonly problem: string }
  | { readonly kind: 'changed'; readonly manifest: Manifest; readonly notes: readonly string[] };

// Reads the manifest again with `read` and compares it with `current`.
export async function reloadManifest(current: Manifest, read: () => Promise<Manifest>): Promise<ManifestReload> {
  let next: Manifest;
  try {
    next = await read();
  } catch (error) {
    return { kind: 'invalid', problem: (error as Error).message };
  }
  if (JSON.stringify(next) === JSON.stringify(current)) return { kind: 'same' };
  // The source is opened once per run: a store or server named anew is used from the next run.
  const notes = JSON.stringify(next.source) === JSON.stringify(current.source) ? [] : ['source: changed; it is used from the next start of secretrun'];
  return { kind: 'changed', manifest: next, notes };
}
