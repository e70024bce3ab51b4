import { dirname, resolve } from 'node:path';
import { SecretrunError } from '../errors.js';
import { formatSize, isTooLarge, readFileBounded } from '../fs/bounded-read.js';
import { manifestCacheKey, readCachedManifest, writeCachedManifest, type ManifestCacheOptions } from './manifest-cache.js';
import type { Manifest } from './manifest.js';

// The largest manifest read: --manifest /dev/zero must not be read forever, and the parser
// holds the whole text (and its YAML tree) in memory.
export const maxManifestBytes = 4 * 1024 * 1024;

// Reads and validates a manifest file (`secretrun.yaml` by default). Messages name the file
// as the user gave it; relative paths inside it resolve against its directory. With a cache,
// an unchanged file is not parsed again; the parser itself is loaded only when needed.
export async function readManifest(file = 'secretrun.yaml', cwd = process.cwd(), cache?: ManifestCacheOptions): Promise<Manifest> {
  const absolute = resolve(cwd, file);
  let text: string;
  try {
    // Synchronous: a small file on the runner's start-up path. The first asynchronous fs call
    // starts libuv's thread pool, which cost ~5 ms of start-up (A/B of 40 runs).
    text = readFileBounded(absolute, maxManifestBytes).toString('utf8');
  } catch (cause) {
    if (isTooLarge(cause)) {
      throw new SecretrunError('manifest_invalid', `manifest ${file} is larger than ${formatSize(maxManifestBytes)} (check --manifest; a manifest of 20,000 variables is about 1 MiB)`);
    }
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SecretrunError('manifest_invalid', `${missing ? 'no manifest' : 'cannot read manifest'}: ${file}`, {
      hint: missing ? 'Create secretrun.yaml, pass --manifest FILE, or give variables with -e NAME=path#field.' : undefined,
      cause,
    });
  }
  const key = cache === undefined ? '' : manifestCacheKey(file, absolute, text, cache.buildId);
  const cached = cache === undefined ? undefined : readCachedManifest(cache, key);
  if (cached !== undefined) return cached;
  const { parseManifest } = await import('./parse-manifest.js');
  const manifest = parseManifest(text, { file, dir: dirname(absolute) });
  if (cache !== undefined) writeCachedManifest(cache, key, manifest);
  return manifest;
}
