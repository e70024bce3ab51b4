import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalSource } from '../../src/source/local-source.js';
import { openSecretStore, type SecretStore } from '../../src/library/open-secret-store.js';
import type { SecretSource } from '../../src/source/source.js';
import { openFileStore } from '../../src/store/file-store.js';
import { writeLocalSecret } from '../../src/library/secret-writes.js';
import { journalPathOf } from '../../src/store/store-paths.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const env = { SECRETRUN_KEY: randomBytes(32).toString('base64') };
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function setUp(): Promise<{ store: SecretStore; source: SecretSource; path: string }> {
  const path = join(makeTempDir(), '.secretrun', 'store.json');
  const store = await openSecretStore({ path, env });
  open.push(store);
  await store.write('secret/app/db', { password: 'first-pass', user: 'app' });
  const source = await createLocalSource({ path, env });
  open.push(source);
  return { store, source, path };
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
    expect(reads.get('secret/app/missing')).toEqual({ status: 'missing', reason: 'no secret at this path' });
    expect(reads.get('nomount/x')).toEqual({ status: 'missing', reason: 'no secrets engine is mounted at this path (KV mounts: secret/)' });
  });

  it('says why a read found nothing: the nearest path, the versions that exist, a missing store', async () => {
    const { store, source } = await setUp();
    await store.write('secret/app/db', { password: 'second-pass', user: 'app' });
    const reads = await source.readSecrets([{ path: 'secret/app/bd' }, { path: 'secret/app/db', version: 9 }, { path: 'secret' }]);
    expect(reads.get('secret/app/bd')).toEqual({ status: 'missing', reason: 'no secret at this path (did you mean secret/app/db?)' });
    expect(reads.get('secret/app/db@9')).toEqual({ status: 'missing', reason: 'no version 9 of this secret (versions: 1, 2)' });
    expect(reads.get('secret')).toEqual({ status: 'missing', reason: 'a path names a secret inside the mount secret/, e.g. secret/myapp/config' });
    const elsewhere = await createLocalSource({ path: join(makeTempDir(), 'none.json'), env: { SECRETRUN_KEY: Buffer.alloc(32, 3).toString('base64') } });
    const none = await elsewhere.readSecrets([{ path: 'secret/app/db' }]);
    expect(none.get('secret/app/db')).toMatchObject({ status: 'missing', reason: expect.stringMatching(/^no store at .*none\.json \(run `secretrun init` to create it/) });
    await elsewhere.close();
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

  it('notices a server\'s writes while they are still in its journal, from the journal\'s first write on', async () => {
    const { source, path } = await setUp();
    const seen: string[] = [];
    const stop = await source.watch?.(
      () => void source.readSecrets([{ path: 'secret/app/db' }]).then((reads) => {
        const read = reads.get('secret/app/db');
        if (read?.status === 'found') seen.push(String(read.secret.data['password']));
      }),
      (reason) => seen.push(`error: ${reason}`),
    );
    open.push({ close: async () => stop?.() });
    // A server: writes go to the journal, and no checkpoint comes during the test.
    const server = await openFileStore({ path, env, journal: { records: 1e9, bytes: 1e12, ms: 1e9 } });
    const write = (password: string) => server.update((s) => writeLocalSecret(s, 'secret/app/db', { password }, {}, Date.now()));
    await write('from-the-journal-1');
    await waitFor('the journal\'s first write', () => seen.includes('from-the-journal-1'));
    await write('from-the-journal-2');
    await waitFor('the journal\'s next write', () => seen.includes('from-the-journal-2'));
    expect(existsSync(journalPathOf(path))).toBe(true);
    expect(seen.filter((entry) => entry.startsWith('error'))).toEqual([]);
    await server.close();
  });
});
