import { dirname, resolve } from 'node:path';
import { SecretrunError } from '../errors.js';
import { formatSize, isTooLarge, readFileBounded } from '../fs/bounded-read.js';
import type { Manifest } from './manifest.js';
import type { ManifestChoice } from './parse-manifest.js';

// The largest manifest read: --manifest /dev/zero must not be read forever, and the parser
// holds the whole text (and its YAML tree) in memory.
export const maxManifestBytes = 4 * 1024 * 1024;

// A manifest's text and where it was read from, for which environment: what a parsed
// manifest depends on.
export interface ManifestText {
  /** The file as the user named it (messages use it). */
  readonly file: string;
  readonly absolute: string;
  readonly text: string;
  readonly environment: string | undefined;
}

// Validated manifests kept between runs (the runner's is src/startup/manifest-cache.ts), so
// that an unchanged file is not parsed again.
export interface ManifestCache {
  /** The manifest parsed earlier from this text, or undefined. */
  read(text: ManifestText): Manifest | undefined;
  /** Keeps a manifest just parsed from this text; never throws. */
  save(text: ManifestText, manifest: Manifest): void;
}

// Reads and validates a manifest file (`secretrun.yaml` by default) for the chosen environment
// (none by default). Messages name the file as the user gave it; relative paths inside it
// resolve against its directory. With a cache, an unchanged file is not parsed again; the
// parser itself is loaded only when needed.
export async function readManifest(file = 'secretrun.yaml', cwd = process.cwd(), cache?: ManifestCache, choice: ManifestChoice = {}): Promise<Manifest> {
  const text = readManifestText(file, cwd);
  const read: ManifestText = { file, absolute: resolve(cwd, file), text, environment: choice.environment };
  const cached = cache?.read(read);
  if (cached !== undefined) return cached;
  const { parseManifest } = await import('./parse-manifest.js');
  const manifest = parseManifest(text, { file, dir: dirname(read.absolute) }, choice);
  cache?.save(read, manifest);
  return manifest;
}

// The environments a manifest file defines, and where it uses `{{env}}` (so cannot run without
// one), whether or not it is otherwise valid: `check` validates each environment.
export async function readManifestEnvironments(file = 'secretrun.yaml', cwd = process.cwd()): Promise<{ names: string[]; needed: string | undefined }> {
  const text = readManifestText(file, cwd);
  const { parseManifestEnvironments } = await import('./parse-manifest.js');
  return parseManifestEnvironments(text);
}

function readManifestText(file: string, cwd: string): string {
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
  return text;
}
