import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deepFreeze, type Manifest } from '../manifest/manifest.js';
import type { ManifestCache, ManifestText } from '../manifest/read-manifest.js';
import { cacheDir } from './cache-dir.js';

// A cache of validated manifests, so a run whose secretrun.yaml did not change loads neither
// the YAML parser nor the schema validator (docs/runner.md#start-up has what that saves).
// An entry is named by a hash of everything the result depends on — the file as named, its
// absolute path, its text and the build of secretrun — so it never needs invalidating. It holds
// references only, never values. Any failure to read or write it just means parsing again.

export interface ManifestCacheOptions {
  /** Where entries live; usually $XDG_CACHE_HOME/secretrun/manifests. */
  dir: string;
  /** Identifies the code that parsed the manifest; entries from other builds never match. */
  buildId: string;
}

// The cache directory for an environment: $XDG_CACHE_HOME/secretrun/manifests (~/.cache).
export function manifestCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  return join(cacheDir(env), 'manifests');
}

// The entry name for one manifest text read from one place by one build, for one environment
// (a run without one keeps the key it had before environments existed).
export function manifestCacheKey(text: ManifestText, buildId: string): string {
  const build = text.environment === undefined ? buildId : `${buildId}\0env=${text.environment}`;
  return createHash('sha256').update(`${build}\0${text.file}\0${text.absolute}\0`).update(text.text).digest('hex');
}

// The cached manifest, or undefined when there is none or it cannot be read.
function readEntry(options: ManifestCacheOptions, key: string): Manifest | undefined {
  try {
    const entry = JSON.parse(readFileSync(join(options.dir, `${key}.json`), 'utf8')) as { key?: string; manifest?: Manifest };
    return entry.key === key && entry.manifest !== undefined ? deepFreeze(entry.manifest) : undefined;
  } catch {
    return undefined;
  }
}

// Stores a manifest atomically (temp file + rename), ignoring every failure.
function writeEntry(options: ManifestCacheOptions, key: string, manifest: Manifest): void {
  try {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const temp = join(options.dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(temp, JSON.stringify({ key, manifest }), { mode: 0o600 });
    renameSync(temp, join(options.dir, `${key}.json`));
  } catch {
    // A cache that cannot be written only costs the next run a parse.
  }
}

// The manifest cache in `options.dir` for readManifest.
export function createManifestCache(options: ManifestCacheOptions): ManifestCache {
  return {
    read: (text) => readEntry(options, manifestCacheKey(text, options.buildId)),
    save: (text, manifest) => writeEntry(options, manifestCacheKey(text, options.buildId), manifest),
  };
}
