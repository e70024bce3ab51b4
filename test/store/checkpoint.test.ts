import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renameOver } from '../../src/fs/atomic-write.js';
import { planCheckpoint, prepareCheckpoint } from '../../src/store/checkpoint.js';
import { openFileStore } from '../../src/store/file-store.js';
import { adoptJournal, appendJournal, closeJournal } from '../../src/store/journal.js';
import { runtimePrefixes } from '../../src/store/state-routing.js';
import { readStoreFiles } from '../../src/store/store-load.js';
import { journalPathOf, statePathOf } from '../../src/store/store-paths.js';
import { maxStoreBytes } from '../../src/store/store-snapshot.js';
import { makeStoreEnv } from './store-test-env.js';

// A checkpoint interrupted at each step (a crash): the files left behind always read as every
// acknowledged write, and the next writer finishes the job.

type Step = 'marker' | 'store renamed' | 'both renamed';

// A store whose journal holds a write to each file, checkpointed up to `step` and no further.
async function interrupted(step: Step) {
  const { path, env, key } = makeStoreEnv();
  const paths = { store: path, state: statePathOf(path), journal: journalPathOf(path) };
  const server = await openFileStore({ path, env, create: true, journal: { records: 1e9, bytes: 1e12, ms: 1e9 } });
  await server.update((s) => (s.put('secret/a', 'a0'), s.put('sys/token/id/t', 't0')));
  await server.update((s) => (s.put('secret/a', 'a1'), s.put('sys/token/id/t', 't1'), s.put('secret/b', 'b1')));
  await server.update((s) => s.put('sys/token/id/u', 'u1'));
  // The server dies here; what it left is finished by hand up to `step`.
  const files = await readStoreFiles(paths, async () => ({ key, source: 'test' }), { eagerState: true, maxBytes: maxStoreBytes, prefixes: runtimePrefixes });
  const store = files.store!;
  const state = files.state === 'unread' ? undefined : files.state;
  const plan = await planCheckpoint({ store, state }, { header: store.header, rootKey: store.rootKey, dataKeys: store.dataKeys }, new Map([...files.changes].map(([k, c]) => [k, c.envelope])), runtimePrefixes);
  const prepared = await prepareCheckpoint(paths, plan, { store, state });
  const journal = adoptJournal(paths.journal, files.journal!.parsed, files.journal!.bytes);
  await appendJournal(journal, [{ seq: journal.lastSeq + 1, kind: 'checkpoint', upto: journal.lastSeq, store: prepared.storeMac, state: prepared.stateMac }]);
  await closeJournal(journal);
  if (step !== 'marker') await renameOver(prepared.store!.temp, paths.store);
  if (step === 'both renamed') await renameOver(prepared.state!.temp, paths.state);
  return { path, env, paths };
}

const everything = { a: 'a1', b: 'b1', t: 't1', u: 'u1' };
const readAll = async (path: string, env: Record<string, string | undefined>) => {
  const reader = await openFileStore({ path, env });
  const [a, b, t, u] = await reader.read((s) => ['secret/a', 'secret/b', 'sys/token/id/t', 'sys/token/id/u'].map((key) => s.get(key)));
  return { a, b, t, u };
};

describe('a checkpoint interrupted by a crash', () => {
  for (const step of ['marker', 'store renamed', 'both renamed'] as const) {
    it(`after "${step}": reads see every write, and the next writer finishes the checkpoint`, async () => {
      const { path, env, paths } = await interrupted(step);
      expect(await readAll(path, env)).toEqual(everything);
      // The next journal writer goes on from there, and its own checkpoint leaves one clean pair of files.
      const next = await openFileStore({ path, env, journal: { records: 1e9, bytes: 1e12, ms: 1e9 } });
      await next.update((s) => s.put('secret/c', 'c1'));
      expect(await readAll(path, env)).toEqual(everything);
      await next.close();
      expect(existsSync(paths.journal)).toBe(false);
      expect(await readAll(path, env)).toEqual(everything);
      expect(readFileSync(path, 'utf8')).not.toContain('sys/token');
      expect(readFileSync(paths.state, 'utf8')).not.toContain('secret/');
    });
  }
});
