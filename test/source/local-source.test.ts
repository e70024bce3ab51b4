import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalSource } from '../../src/source/local-source.js';
import { openSecretStore, type SecretStore } from '../../src/library/open-secret-store.js';
import type { SecretSource } from '../../src/source/source.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const env = { SECRETRUN_KEY: randomBytes(32).toString('base64') };
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function setUp(): Promise<{ store: SecretStore; source: SecretSource }> {
  const path = join(makeTempDir(), '.secretrun', 'store.json');
  const store = await openSecretStore({ path, env });
  open.push(store);
  await store.write('secret/app/db', { password: 'first-pass', user: 'app' });
  const source = await createLocalSource({ path, env });
  open.push(source);
  return { store, source };
}

describe('local source', () => {
  it('reads each requested path once, with versions, and reports absence as a value', async () => {
    const { store, source } = await setUp();
    await store.write('secret/app/db', { password: 'second-pass', user: 'app' });
    const reads = await source.readSecrets([
      { path: 'secret/app/db' },
      { path: 'secret/app/db', version: 1 },
      { path: 'secret/app/missing' },
      { path: 'nomount/x' },
    ]);
    expect(reads.get('secret/app/db')).toEqual({ status: 'found', secret: { data: { password: 'second-pass', user: 'app' }, version: 2 } });
    expect(reads.get('secret/app/db@1')).toEqual({ status: 'found', secret: { data: { password: 'first-pass', user: 'app' }, version: 1 } });
    expect(reads.get('secret/app/missing')).toEqual({ status: 'missing' });
    expect(reads.get('nomount/x')).toEqual({ status: 'missing' });
  });

  it('notices every write, including writes in quick succession', async () => {
    const { store, source } = await setUp();
    const seen: string[] = [];
    const onChange = (): void => {
      void source.readSecrets([{ path: 'secret/app/db' }]).then((reads) => {
        const read = reads.get('secret/app/db');
        if (read?.status === 'found') seen.push(String(read.secret.data['password']));
      });
    };
    const stop = await source.watch?.(onChange, (reason) => seen.push(`error: ${reason}`));
    open.push({ close: async () => stop?.() });
    await store.write('secret/app/db', { password: 'pass-1' });
    await waitFor('the first change', () => seen.includes('pass-1'));
    for (let round = 2; round <= 6; round++) {
      await store.write('secret/app/db', { password: `pass-${round}a` });
      await store.write('secret/app/db', { password: `pass-${round}b` });
      await waitFor(`the last of two quick writes (round ${round})`, () => seen.includes(`pass-${round}b`), { timeoutMs: 5000 });
    }
    expect(seen.filter((entry) => entry.startsWith('error'))).toEqual([]);
  });
});
