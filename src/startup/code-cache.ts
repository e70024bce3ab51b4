import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

// A CommonJS bundle compiled with V8's code cache. V8 must compile a whole bundle before
// anything runs, and Node 20 keeps no code cache for ES modules (module.enableCompileCache()
// came in Node 22.1), so the bundles are CommonJS, compiled here through node:vm with the
// cache V8 wrote on an earlier run. The cache holds compiled code of the bundle only: no
// secret ever reaches it.
export interface LoadedBundle {
  readonly exports: Record<string, unknown>;
  /** Whether V8 took the cache (and so compiled nothing it held). */
  readonly cacheAccepted: boolean;
  /** Writes the cache when there was none, or it was of other code. Called once the command
   * ran, so that the functions it compiled lazily are in the cache too; never throws. */
  saveCache(): void;
}

// Where a bundle's code cache is, and what identifies the bundle's exact text. V8 checks a
// cache against Node's version and flags but the source only by its length: a rebuilt bundle
// of the same length (a version string bumped) would run the old build's code. So the cache
// file begins with the tag (a hash of the bundle, computed by the build) and is used only
// when the tag matches.
export interface CodeCacheFile {
  readonly path: string;
  readonly tag: string;
}

// Node's CommonJS wrapper, written out (Node's own is not a public API). The source starts on
// the wrapper's line, so line numbers in stack traces stay those of the file.
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

// The cached code for `cache`, or undefined when there is none or it is another bundle's.
function readCache(cache: CodeCacheFile): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cache.path);
  } catch {
    return undefined; // No cache yet: compiled normally, and written after the command ran.
  }
  const header = `${cache.tag}\n`;
  return bytes.length > header.length && bytes.toString('latin1', 0, header.length) === header ? bytes.subarray(header.length) : undefined;
}

// Writes the cache atomically (temp file + rename), private to the user; ignores failures.
function writeCache(cache: CodeCacheFile, data: Buffer): void {
  try {
    mkdirSync(dirname(cache.path), { recursive: true, mode: 0o700 });
    const temp = `${cache.path}.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.concat([Buffer.from(`${cache.tag}\n`, 'latin1'), data]), { mode: 0o600 });
    renameSync(temp, cache.path);
  } catch {
    // A cache that cannot be written only costs the next run a compile.
  }
}

// Loads the bundle `file`, with its code cache when `cache` is given.
export function loadBundle(file: string, cache: CodeCacheFile | undefined): LoadedBundle {
  // The build emits ASCII only (esbuild charset: 'ascii'), so latin1 reads it as V8's cheaper
  // one-byte string without UTF-8 decoding.
  const source = readFileSync(file, 'latin1');
  const cachedData = cache === undefined ? undefined : readCache(cache);
  const script = new Script(wrap(source), { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  // The bundles use module.exports only, and require() for built-ins and their sibling bundles,
  // which createRequire resolves from the bundle's own path.
  const module = { exports: {} as Record<string, unknown>, filename: file, id: file };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  const cacheAccepted = cachedData !== undefined && script.cachedDataRejected !== true;
  return {
    exports: module.exports,
    cacheAccepted,
    saveCache() {
      if (cache !== undefined && !cacheAccepted) writeCache(cache, script.createCachedData());
    },
  };
}
