import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../src/manifest/read-manifest.js';
import { createManifestCache } from '../../src/startup/manifest-cache.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const manifestText = 'env:\n  OPENAI_API_KEY: secret/api-keys/openai#api_key\n';

function setUp(): { dir: string; cacheDir: string; cache: ReturnType<typeof createManifestCache> } {
  const dir = makeTempDir();
  writeFileSync(join(dir, 'secretrun.yaml'), manifestText);
  return { dir, cacheDir: join(dir, 'cache'), cache: createManifestCache({ dir: join(dir, 'cache'), buildId: 'build-a' }) };
}

describe('manifest cache', () => {
  it('serves an unchanged manifest from the cache, and parses again when the text changes', async () => {
    const { dir, cacheDir, cache } = setUp();
    const parsed = await readManifest('secretrun.yaml', dir, cache);
    const [entry] = readdirSync(cacheDir);
    expect(entry).toMatch(/^[0-9a-f]{64}\.json$/);
    const again = await readManifest('secretrun.yaml', dir, cache);
    expect(again).toEqual(parsed);
    expect(Object.isFrozen(again)).toBe(true);

    // Prove the second read came from the cache: an edited entry is what is returned.
    const file = join(cacheDir, entry as string);
    writeFileSync(file, readFileSync(file, 'utf8').replace('OPENAI_API_KEY', 'FROM_CACHE_KEY'));
    expect((await readManifest('secretrun.yaml', dir, cache)).variables[0]?.name).toBe('FROM_CACHE_KEY');

    writeFileSync(join(dir, 'secretrun.yaml'), manifestText.replace('OPENAI_API_KEY', 'CHANGED_KEY'));
    expect((await readManifest('secretrun.yaml', dir, cache)).variables[0]?.name).toBe('CHANGED_KEY');
  });

  it('never serves an entry of another build, and ignores a corrupt entry', async () => {
    const { dir, cacheDir, cache } = setUp();
    await readManifest('secretrun.yaml', dir, cache);
    const [entry] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, entry as string), '{not json');
    expect((await readManifest('secretrun.yaml', dir, cache)).variables[0]?.name).toBe('OPENAI_API_KEY');
    await readManifest('secretrun.yaml', dir, createManifestCache({ dir: cacheDir, buildId: 'build-b' }));
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });

  it('caches nothing for an invalid manifest, and still reports its errors', async () => {
    const { dir, cacheDir, cache } = setUp();
    writeFileSync(join(dir, 'secretrun.yaml'), 'env:\n  1BAD: secret/x#y\n');
    await expect(readManifest('secretrun.yaml', dir, cache)).rejects.toMatchObject({ code: 'manifest_invalid' });
    expect(() => readdirSync(cacheDir)).toThrow();
  });
});
