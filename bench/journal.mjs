// bench/journal: what a journal costs, to choose when the server checkpoints it. For stores of
// 10, 1,000 and 10,000 secrets and journals of 256 KiB, 1 MiB and 4 MiB (filled as 16 clients
// writing KV v2 secrets fill it: a record per pass, each holding data and metadata entries):
// - a reader's open and one read (what `kv get` and the runner pay while a server has writes
//   not yet checkpointed), beside the same without a journal;
// - a checkpoint (wall time) and the longest the event loop waited meanwhile (what a request
//   arriving during it waits at most).
// Usage: node bench/journal.mjs [runs, default 7]   (bundles src/store with esbuild)
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-journal-'));
const env = { SECRETRUN_KEY: randomBytes(32).toString('base64'), XDG_CONFIG_HOME: join(work, 'cfg') };
const bundle = join(work, 'file-store.mjs');
await build({ entryPoints: [join(root, 'src/store/file-store.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
const { openFileStore } = await import(pathToFileURL(bundle).href);
const manual = { records: 1e9, bytes: 1e12, ms: 1e9 };
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const uuid = '0123456789abcdef0123';
const dataKey = (i, v) => `kv/${uuid}/data/bench/app-${String(i).padStart(5, '0')}@${v}`;
const metaKey = (i) => `kv/${uuid}/meta/bench/app-${String(i).padStart(5, '0')}`;

// A store of `count` secrets as KV v2 keeps them (a data and a metadata entry each).
async function makeStore(count) {
  const path = join(work, `base-${count}`, 'store.json');
  const store = await openFileStore({ path, env, create: true });
  await store.update((s) => {
    for (let i = 0; i < count; i++) {
      s.put(metaKey(i), { versions: { 1: { created_time: new Date().toISOString() } }, current_version: 1 });
      s.put(dataKey(i, 1), { data: { api_key: `value-${i}`, user: `user-${i}` } });
    }
  });
  await store.close();
  return path;
}

// A copy of the store at `base` with a journal of about `bytes` bytes, as a server left it.
async function withJournal(base, count, bytes, name) {
  const dir = join(work, name);
  mkdirSync(dir);
  const path = join(dir, 'store.json');
  copyFileSync(base, path);
  const store = await openFileStore({ path, env, journal: manual });
  const journal = join(dir, '.secretrun-state', 'store.json.journal');
  for (let n = 0; !existsSync(journal) || statSync(journal).size < bytes; n += 16) {
    await Promise.all(Array.from({ length: 16 }, (_, c) => store.update((s) => {
      const i = (n + c) % count;
      s.put(metaKey(i), { versions: { 1: {}, 2: { created_time: new Date().toISOString() } }, current_version: 2, n: n + c });
      s.put(dataKey(i, 2), { data: { api_key: `new-${n + c}`, user: `user-${i}` } });
    })));
  }
  return { path, store, journalBytes: statSync(journal).size };
}

// Median ms of opening the store at `path` and reading one secret, in this process.
async function timeRead(path) {
  const samples = [];
  for (let r = 0; r <= runs; r++) {
    const start = performance.now();
    const store = await openFileStore({ path, env });
    await store.read((s) => s.get(dataKey(5, 1)));
    const ms = performance.now() - start;
    await store.close();
    if (r > 0) samples.push(ms);
  }
  return median(samples);
}

console.log(`bench/journal: node ${process.version}, median of ${runs} runs\n`);
console.log('secrets   journal  read: no journal  with journal   checkpoint  longest event-loop wait');
try {
  for (const count of [10, 1000, 10000]) {
    const base = await makeStore(count);
    const plain = await timeRead(base);
    for (const size of [256 * 1024, 1024 * 1024, 4 * 1024 * 1024]) {
      const checkpoints = [];
      const waits = [];
      let read = 0;
      let journalBytes = 0;
      for (let r = 0; r < Math.max(3, Math.ceil(runs / 2)); r++) {
        const copy = await withJournal(base, count, size, `j-${count}-${size}-${r}`);
        journalBytes = copy.journalBytes;
        if (r === 0) read = await timeRead(copy.path);
        const delay = monitorEventLoopDelay({ resolution: 1 });
        delay.enable();
        const start = performance.now();
        await copy.store.checkpoint();
        checkpoints.push(performance.now() - start);
        delay.disable();
        waits.push(delay.max / 1e6);
        await copy.store.close();
      }
      const kib = `${Math.round(journalBytes / 1024)} KiB`;
      console.log(
        `${String(count).padStart(7)}  ${kib.padStart(8)}  ${plain.toFixed(1).padStart(12)} ms  ${read.toFixed(1).padStart(9)} ms  ${median(checkpoints).toFixed(1).padStart(8)} ms  ${median(waits).toFixed(1).padStart(8)} ms`,
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
