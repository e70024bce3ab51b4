import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file-store.js';
import type { FileStoreOptions } from '../../src/store/file-store.js';
import { journalPathOf, lockPathOf, statePathOf } from '../../src/store/store-paths.js';
import { waitFor } from '../helpers/wait-for.js';
import { entryKeysOf, makeStoreEnv, secretrunErrorOf } from './store-test-env.js';

// The journal as the server uses it (journal mode), seen by other openers as the CLI and the
// runner see it: every acknowledged write, from the journal, without waiting for a checkpoint.

// Thresholds no test reaches unless it means to: checkpoints happen when a test asks.
const manual = { records: 1e9, bytes: 1e12, ms: 1e9 };

async function journalStore(extra: Partial<FileStoreOptions> = {}) {
  const setup = makeStoreEnv();
  const store = await openFileStore({ path: setup.path, env: setup.env, create: true, journal: manual, ...extra });
  await store.update((s) => s.put('secret/seed', 'PLAINTEXT-seed'));
  return { ...setup, store, journal: journalPathOf(setup.path), state: statePathOf(setup.path) };
}


describe('journal mode', () => {
  it('appends writes to the journal, leaving the store file alone, and other openers see them at once', async () => {
    const { path, env, store, journal } = await journalStore();
    const committed = readFileSync(path);
    await store.update((s) => s.put('secret/a', 'PLAINTEXT-a1'));
    await store.update((s) => (s.put('secret/a', 'PLAINTEXT-a2'), s.delete('secret/seed')));
    expect(readFileSync(path)).toEqual(committed);
    expect(readFileSync(journal, 'utf8')).not.toContain('PLAINTEXT');
    expect(readFileSync(journal, 'utf8').split('\n')).toHaveLength(4);
    const reader = await openFileStore({ path, env });
    expect(await reader.read((s) => [s.get('secret/a'), s.get('secret/seed'), s.list('secret/')])).toEqual(['PLAINTEXT-a2', undefined, ['secret/a']]);
    // A reader that is open already sees later writes too.
    await store.update((s) => s.put('secret/b', 'PLAINTEXT-b'));
    expect(await reader.read((s) => s.get('secret/b'))).toBe('PLAINTEXT-b');
  });

  it('checkpoints into a sorted store file, as a rewrite would write it, and removes the journal', async () => {
    const { path, env, store, journal } = await journalStore();
    for (const key of ['secret/z', 'secret/b', 'secret/m']) await store.update((s) => s.put(key, `PLAINTEXT-${key}`));
    await store.checkpoint();
    expect(existsSync(journal)).toBe(false);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(1).map((line) => (JSON.parse(line) as { k: string }).k);
    expect(lines).toEqual(['secret/b', 'secret/m', 'secret/seed', 'secret/z']);
    const reader = await openFileStore({ path, env });
    expect(await reader.read((s) => s.get('secret/m'))).toBe('PLAINTEXT-secret/m');
  });

  it('checkpoints by itself after N records, and on close', async () => {
    const { path, env, store, journal } = await journalStore({ journal: { records: 3, bytes: 1e12, ms: 1e9 } });
    for (let i = 0; i < 3; i++) await store.update((s) => s.put(`secret/n${i}`, i));
    await waitFor('the checkpoint after 3 records', () => !existsSync(journal));
    await store.update((s) => s.put('secret/last', 1));
    expect(existsSync(journal)).toBe(true);
    await store.close();
    expect(existsSync(journal)).toBe(false);
    const reader = await openFileStore({ path, env });
    expect(await reader.read((s) => [s.get('secret/n2'), s.get('secret/last')])).toEqual([2, 1]);
  });

  it('checkpoints by itself after T milliseconds and after B bytes', async () => {
    const timed = await journalStore({ journal: { records: 1e9, bytes: 1e12, ms: 50 } });
    await timed.store.update((s) => s.put('secret/t', 1));
    await waitFor('the timed checkpoint', () => !existsSync(timed.journal));
    const sized = await journalStore({ journal: { records: 1e9, bytes: 2_000, ms: 1e9 } });
    await sized.store.update((s) => s.put('secret/big', 'x'.repeat(3_000)));
    await waitFor('the checkpoint past 2,000 bytes', () => !existsSync(sized.journal));
  });

  it('keeps every write made while a background checkpoint runs, carrying them into a new journal', async () => {
    const { path, env, journal } = await journalStore();
    const store = await openFileStore({ path, env, journal: { records: 5, bytes: 1e12, ms: 1e9 } });
    const writes = Array.from({ length: 200 }, (_, i) => store.update((s) => s.put(`secret/w${i % 37}`, i)));
    await Promise.all(writes);
    const reader = await openFileStore({ path, env });
    const expected = Object.fromEntries(Array.from({ length: 37 }, (_, k) => [`secret/w${k}`, Math.max(...Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 37 === k))]));
    const read = async () => reader.read((s) => Object.fromEntries(s.list('secret/w').map((key) => [key, s.get(key)])));
    expect(await read()).toEqual(expected);
    await store.close();
    expect(existsSync(journal)).toBe(false);
    expect(await read()).toEqual(expected);
  });

  it('discards a torn last record, and the next write cuts it off and goes on', async () => {
    const { path, env, store, journal } = await journalStore();
    await store.update((s) => s.put('secret/a', 'PLAINTEXT-a'));
    // As after a crash: the store is never closed, so its journal stays.
    const whole = readFileSync(journal);
    appendFileSync(journal, '{"seq":3,"set":[["secret/a","AQAAAA');
    const reader = await openFileStore({ path, env, journal: manual });
    expect(await reader.read((s) => [s.get('secret/a'), s.get('secret/seed')])).toEqual(['PLAINTEXT-a', 'PLAINTEXT-seed']);
    await reader.update((s) => s.put('secret/b', 'PLAINTEXT-b'));
    expect(readFileSync(journal).subarray(0, whole.length)).toEqual(whole);
    const again = await openFileStore({ path, env });
    expect(await again.read((s) => [s.get('secret/a'), s.get('secret/b')])).toEqual(['PLAINTEXT-a', 'PLAINTEXT-b']);
  });

  it('refuses a journal edited before its last line, naming it, and leaves every file as it was', async () => {
    const { path, env, store, journal } = await journalStore();
    await store.update((s) => s.put('secret/a', 1));
    await store.update((s) => s.put('secret/b', 2));
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[1] = (lines[1] as string).replace('"seq":1', '"seq":1 ');
    writeFileSync(journal, lines.join('\n'));
    const before = [readFileSync(path), readFileSync(journal)];
    const error = await secretrunErrorOf(openFileStore({ path, env }));
    expect(error.code).toBe('store_integrity');
    expect(error.message).toContain(journal);
    expect([readFileSync(path), readFileSync(journal)]).toEqual(before);
  });

  it('refuses the journal of another store, and an older journal of this one', async () => {
    const one = await journalStore();
    await one.store.update((s) => s.put('secret/a', 1));
    // Another store under the same key: the header MACs hold, the id does not.
    const two = makeStoreEnv();
    const other = await openFileStore({ path: two.path, env: one.env, create: true, journal: manual });
    await other.update((s) => s.put('secret/x', 1));
    await other.update((s) => s.put('secret/y', 1));
    copyFileSync(journalPathOf(two.path), one.journal);
    let error = await secretrunErrorOf(openFileStore({ path: one.path, env: one.env }));
    expect([error.code, error.message.includes(one.journal), error.message.includes('another store')]).toEqual(['store_integrity', true, true]);
    // An older journal: written on the store file as it was before a later checkpoint.
    const three = await journalStore();
    await three.store.update((s) => s.put('secret/a', 1));
    const old = readFileSync(three.journal);
    await three.store.checkpoint();
    await three.store.update((s) => s.put('secret/a', 2));
    writeFileSync(three.journal, old);
    error = await secretrunErrorOf(openFileStore({ path: three.path, env: three.env }));
    expect([error.code, error.message.includes(three.journal), error.message.includes('does not apply')]).toEqual(['store_integrity', true, true]);
  });

  it('a rewriting writer (the CLI) folds the journal in, and the journal writer goes on on the new file', async () => {
    const { path, env, store, journal } = await journalStore();
    await store.update((s) => s.put('secret/server', 1));
    const cli = await openFileStore({ path, env });
    await cli.update((s) => s.put('secret/cli', 1));
    expect(existsSync(journal)).toBe(false);
    expect(readFileSync(path, 'utf8')).toContain('secret/server');
    await store.update((s) => s.put('secret/server2', 1));
    expect(existsSync(journal)).toBe(true);
    const check = await openFileStore({ path, env });
    expect(await check.read((s) => s.list('secret/'))).toEqual(['secret/cli', 'secret/seed', 'secret/server', 'secret/server2']);
    expect(await store.read((s) => s.get('secret/cli'))).toBe(1);
  });

  // Between passes a journal writer keeps the lock for a moment and checks the files by stat
  // alone (loaded-file.ts, 'held'): no secretrun process can write meanwhile, and a file another
  // program puts in place has another inode. Without any check, the next record would go on top
  // of the store file this writer loaded, and its next checkpoint would put that file back.
  it('notices a store file another program renamed into place while it held the lock, and writes nothing on top of it', async () => {
    const { dir, path, env, store } = await journalStore();
    await store.checkpoint();
    const elsewhere = join(dir, 'elsewhere', 'store.json');
    mkdirSync(dirname(elsewhere));
    copyFileSync(path, elsewhere);
    const other = await openFileStore({ path: elsewhere, env });
    await other.update((s) => s.put('secret/other', 'PLAINTEXT-other'));
    await other.close();
    const foreign = readFileSync(elsewhere);

    await store.update((s) => s.put('secret/first', 1));
    // Still within the pass's linger: the lock is held, so the next pass does not take it again.
    expect(existsSync(lockPathOf(path))).toBe(true);
    renameSync(elsewhere, path);
    // The journal holds a write the new store file lacks: the writer says so and stops.
    const error = await secretrunErrorOf(store.update((s) => s.put('secret/second', 2)));
    expect(error.code).toBe('store_integrity');
    expect(error.message).toContain('was replaced while the journal held writes not yet in it');
    await store.close().catch(() => undefined);
    expect(readFileSync(path)).toEqual(foreign);
  });

  it('makes transactions that arrive together durable in one journal record each pass, answering each', async () => {
    const { store, journal } = await journalStore();
    await store.update((s) => s.put('secret/first', 0));
    const before = readFileSync(journal, 'utf8').split('\n').length;
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => store.update((s) => (s.put(`secret/g${i}`, i), i))));
    expect(results).toEqual(Array.from({ length: 16 }, (_, i) => i));
    // All 16 arrived before the first pass took the queue: one record.
    expect(readFileSync(journal, 'utf8').split('\n').length - before).toBe(1);
    expect(statSync(journal).mode & 0o777).toBe(0o600);
  });
});

describe('a background checkpoint', () => {
  it('keeps its temp files while a pass that arrives meanwhile takes the lock after it', async () => {
    const { path, env, store } = await journalStore();
    await store.update((s) => {
      for (let i = 0; i < 20_000; i++) s.put(`secret/bulk/${i}`, 'x'.repeat(200));
    });
    await store.checkpoint();
    await store.update((s) => s.put('secret/a', 1));
    // The lock is free: the checkpoint takes it, and the pass comes while it writes its temp files.
    const checkpoint = store.checkpoint();
    const dir = join(path, '..');
    await waitFor('the checkpoint to write its temp file', () => readdirSync(dir).some((name) => name.includes('.tmp-')), { intervalMs: 1 });
    await store.update((s) => s.put('secret/b', 2));
    await checkpoint;
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
    const reader = await openFileStore({ path, env });
    expect(await reader.read((s) => [s.get('secret/a'), s.get('secret/b')])).toEqual([1, 2]);
    expect(readFileSync(path, 'utf8')).toContain('secret/a');
  });
});

describe('recovery', () => {
  it('checkpoints a journal a killed writer left, soon after the next journal writer opens it', async () => {
    const { path, env, store, journal } = await journalStore();
    await store.update((s) => s.put('secret/left', 'PLAINTEXT-left'));
    // The writer dies here (never closed); the next one opens the store.
    const next = await openFileStore({ path, env, journal: { records: 1e9, bytes: 1e12, ms: 20 } });
    await waitFor('the leftover journal to be checkpointed', () => !existsSync(journal));
    expect(readFileSync(path, 'utf8')).toContain('secret/left');
    expect(await next.read((s) => s.get('secret/left'))).toBe('PLAINTEXT-left');
  });
});
