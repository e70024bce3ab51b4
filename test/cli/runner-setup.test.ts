// openRunSetup reads the manifest and opens the local store side by side; these tests pin that
// the result and the errors are those of reading one after the other.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { processChildIo } from '../../src/process/child-io.js';
import { openRunSetup } from '../../src/cli/runner-setup.js';
import { isSecretrunError } from '../../src/errors.js';
import { openSecretStore } from '../../src/library/open-secret-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const key = randomBytes(32).toString('base64');

function baseIo(cwd: string, env: Record<string, string> = {}): CliIo {
  const ignore = { write: () => undefined, isTTY: false };
  return {
    stdout: ignore,
    stderr: ignore,
    stdinIsTTY: false,
    readStdin: async () => '',
    signals: { subscribe: () => () => undefined },
    env: { SECRETRUN_KEY: key, XDG_CACHE_HOME: join(cwd, 'cache'), XDG_CONFIG_HOME: join(cwd, 'config'), ...env },
    cwd,
    now: Date.now,
    random: Math.random,
    child: processChildIo(),
  };
}

async function writeStore(path: string, value: string): Promise<void> {
  const store = await openSecretStore({ path, env: { SECRETRUN_KEY: key } });
  await store.write('secret/app', { value });
  await store.close();
}

// A file where a store is expected that is not one: opening it fails with store_format.
function writeBrokenStore(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'not a store\n');
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isSecretrunError(error) ? error.code : String(error);
  }
  return 'no error';
}

const flags = { manifest: '', e: [], store: '' };

// The early open is a start-up trick (src/startup/early-source.ts): with it turned off the store is
// opened after the manifest was read, and everything else is the same.
describe.each(['', 'early-open'])('openRunSetup (SECRETRUN_STARTUP_OFF=%s)', (off) => {
  const ioIn = (cwd: string, env: Record<string, string> = {}): CliIo => baseIo(cwd, { SECRETRUN_STARTUP_OFF: off, ...env });
  it('reads the secrets of the store in SECRETRUN_STORE', async () => {
    const dir = makeTempDir();
    await writeStore(join(dir, 'one.json'), 'from-one');
    writeFileSync(join(dir, 'secretrun.yaml'), 'env:\n  V: secret/app#value\n');
    const { manifest, source } = await openRunSetup(ioIn(dir, { SECRETRUN_STORE: join(dir, 'one.json') }), flags);
    try {
      expect(manifest.variables.map((variable) => variable.name)).toEqual(['V']);
      const read = (await source.readSecrets([{ path: 'secret/app' }])).get('secret/app');
      expect(read).toEqual({ status: 'found', secret: { data: { value: 'from-one' }, version: 1 } });
    } finally {
      await source.close();
    }
  });

  it('uses the store the manifest names, not the default one opened meanwhile', async () => {
    const dir = makeTempDir();
    writeBrokenStore(join(dir, '.secretrun', 'store.json'));
    await writeStore(join(dir, 'named.json'), 'from-named');
    writeFileSync(join(dir, 'secretrun.yaml'), 'source:\n  store: named.json\nenv:\n  V: secret/app#value\n');
    const { source } = await openRunSetup(ioIn(dir), flags);
    try {
      const read = (await source.readSecrets([{ path: 'secret/app' }])).get('secret/app');
      expect(read).toEqual({ status: 'found', secret: { data: { value: 'from-named' }, version: 1 } });
    } finally {
      await source.close();
    }
  });

  it('reports a broken manifest before a broken store, and a broken store after a good manifest', async () => {
    const dir = makeTempDir();
    writeBrokenStore(join(dir, '.secretrun', 'store.json'));
    writeFileSync(join(dir, 'secretrun.yaml'), 'env: [not, a, map]\n');
    expect(await codeOf(openRunSetup(ioIn(dir), flags))).toBe('manifest_invalid');
    expect(await codeOf(openRunSetup(ioIn(dir), { ...flags, manifest: 'missing.yaml' }))).toBe('manifest_invalid');
    writeFileSync(join(dir, 'secretrun.yaml'), 'env:\n  V: secret/app#value\n');
    expect(await codeOf(openRunSetup(ioIn(dir), flags))).toBe('store_format');
  });
});
