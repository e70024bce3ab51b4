import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/startup/code-cache.js';
import { execa } from 'execa';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// What the loader did in a fresh process (V8 keeps compiled scripts for the life of an isolate).
async function loadFresh(file: string, cache: string, tag: string): Promise<unknown> {
  const loader = await bundleFixture('test/fixtures/startup/load-bundle.ts');
  return JSON.parse((await execa(process.execPath, [loader, file, cache, tag])).stdout);
}

// A CommonJS bundle as the build writes them: module.exports, require() of a sibling bundle and
// of a built-in, __filename and __dirname.
function writeBundle(dir: string): string {
  writeFileSync(join(dir, 'sibling.cjs'), 'module.exports = { word: "sibling" };\n');
  const file = join(dir, 'bundle.cjs');
  writeFileSync(
    file,
    'const { join } = require("node:path");\nconst { word } = require("./sibling.cjs");\n' +
      'module.exports = { word, file: __filename, dir: __dirname, joined: join("a", "b"), line: () => new Error("here").stack };\n',
  );
  return file;
}

describe('loadBundle', () => {
  it('runs the bundle as CommonJS: exports, require from its own directory, __filename, __dirname, line numbers', () => {
    const dir = makeTempDir();
    const file = writeBundle(dir);
    const loaded = loadBundle(file, undefined);
    const exports = loaded.exports as { word: string; file: string; dir: string; joined: string; line: () => string };
    expect(exports).toMatchObject({ word: 'sibling', file, dir, joined: join('a', 'b') });
    // The wrapper adds no line: the error is on the bundle's own line 3.
    expect(exports.line()).toContain(`${file}:3:`);
    loaded.saveCache();
  });

  it('writes the code cache after the run, reuses it unchanged, and replaces one V8 rejects', async () => {
    const dir = makeTempDir();
    const file = writeBundle(dir);
    const cache = join(dir, 'cache', 'code-cache-test.bin');
    expect(await loadFresh(file, cache, 'tag-1')).toMatchObject({ exports: { word: 'sibling' }, cacheAccepted: false });
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'cache')).mode & 0o777).toBe(0o700);
    const written = statSync(cache);

    // Accepted: nothing to write again.
    expect(await loadFresh(file, cache, 'tag-1')).toMatchObject({ exports: { word: 'sibling' }, cacheAccepted: true });
    expect(statSync(cache).ino).toBe(written.ino);

    // A cache V8 does not take (garbage after the tag) is rejected, the bundle still runs,
    // and a good cache replaces it.
    writeFileSync(cache, 'tag-1\nnot a code cache');
    expect(await loadFresh(file, cache, 'tag-1')).toMatchObject({ exports: { word: 'sibling' }, cacheAccepted: false });
    expect(await loadFresh(file, cache, 'tag-1')).toMatchObject({ cacheAccepted: true });
  });

  it('never runs the code of another build of the same length', async () => {
    // V8 checks a cache against the source's length only: this is what a version bump does.
    const dir = makeTempDir();
    const file = join(dir, 'bundle.cjs');
    const cache = join(dir, 'code-cache.bin');
    writeFileSync(file, 'module.exports = { version: "0.1.0" };\n');
    await loadFresh(file, cache, 'build-1');
    expect(await loadFresh(file, cache, 'build-1')).toEqual({ exports: { version: '0.1.0' }, cacheAccepted: true });
    writeFileSync(file, 'module.exports = { version: "0.1.1" };\n');
    expect(await loadFresh(file, cache, 'build-2')).toEqual({ exports: { version: '0.1.1' }, cacheAccepted: false });
    expect(readFileSync(cache, 'latin1').startsWith('build-2\n')).toBe(true);
    expect(await loadFresh(file, cache, 'build-2')).toEqual({ exports: { version: '0.1.1' }, cacheAccepted: true });
  });

  it('writes no cache without a cache file, and never fails because the cache cannot be written', () => {
    const dir = makeTempDir();
    const file = writeBundle(dir);
    writeFileSync(join(dir, 'blocked'), 'a file where the cache directory should be');
    const loaded = loadBundle(file, { path: join(dir, 'blocked', 'code-cache.bin'), tag: 't' });
    expect(() => loaded.saveCache()).not.toThrow();
    expect(existsSync(join(dir, 'blocked', 'code-cache.bin'))).toBe(false);
  });
});

describe('the start-up code', () => {
  it('uses public APIs only: none of Node\'s private module internals', () => {
    const root = new URL('../../', import.meta.url);
    for (const file of ['bin/secretrun.cjs', 'src/startup/code-cache.ts', 'src/startup/start.ts']) {
      const text = readFileSync(new URL(file, root), 'utf8');
      expect(text, file).not.toMatch(/Module\._|_nodeModulePaths|Module\.wrap|new Module\(/);
    }
  });
});
