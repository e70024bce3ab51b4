import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { requireLazyBundle } from '../../src/startup/lazy-bundles.js';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// A lazy bundle as the build writes them, in a dist/lazy/ of its own, with or without tags.json.
function writeLazy(tags: Record<string, string> | undefined): { dir: string; file: string } {
  const dir = makeTempDir();
  const file = join(dir, 'thing.cjs');
  writeFileSync(file, 'globalThis.thingLoads = (globalThis.thingLoads ?? 0) + 1;\nmodule.exports = { word: "thing", loads: globalThis.thingLoads };\n');
  if (tags !== undefined) writeFileSync(join(dir, 'tags.json'), JSON.stringify(tags));
  return { dir, file };
}

async function loadFresh(file: string, name: string, cacheDir: string | undefined): Promise<{ exports: unknown; same: boolean; files: string[] }> {
  const loader = await bundleFixture('test/fixtures/startup/load-lazy.ts');
  return JSON.parse((await execa(process.execPath, [loader, file, name, cacheDir ?? '-', 'kv'])).stdout);
}

describe('lazy bundles', () => {
  it('load once per process through the registry, with a code cache per command group checked against the build tags', async () => {
    const { dir, file } = writeLazy({ thing: 'tag-1' });
    const cacheDir = join(dir, 'cache');
    const run = await loadFresh(file, 'thing', cacheDir);
    // Two loads, one evaluation: the bundles that share a lazy bundle share its module state.
    expect(run).toEqual({ exports: { word: 'thing', loads: 1 }, same: true, files: [file] });
    const cache = join(cacheDir, 'code-cache-kv-lazy-thing.bin');
    const written = statSync(cache);
    // Taken as it is by the next run: not written again.
    await loadFresh(file, 'thing', cacheDir);
    expect(statSync(cache).ino).toBe(written.ino);
  });

  it('compile without a cache when the build wrote no tag for the bundle, or the code cache is off', async () => {
    const untagged = writeLazy(undefined);
    expect((await loadFresh(untagged.file, 'thing', join(untagged.dir, 'cache'))).exports).toEqual({ word: 'thing', loads: 1 });
    expect(existsSync(join(untagged.dir, 'cache'))).toBe(false);
    const other = writeLazy({ other: 'tag-1' });
    await loadFresh(other.file, 'thing', join(other.dir, 'cache'));
    expect(existsSync(join(other.dir, 'cache'))).toBe(false);
    const off = writeLazy({ thing: 'tag-1' });
    expect((await loadFresh(off.file, 'thing', undefined)).exports).toEqual({ word: 'thing', loads: 1 });
    expect(readdirSync(off.dir)).toEqual(['tags.json', 'thing.cjs']);
  });

  it('fall back to the bundle\'s own require when no registry is installed (a bundle loaded by a test or a program)', () => {
    expect(requireLazyBundle('/nowhere/thing.cjs', 'thing', (file) => ({ required: file }))).toEqual({ required: '/nowhere/thing.cjs' });
  });
});
