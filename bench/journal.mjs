// bench/journal: what a journal costs, to choose when the server checkpoints it. For stores of
// 10, 1,000 and 10,000 secrets and journals of 256 KiB, 1 MiB and 4 MiB (filled as 16 clients
// writing KV v2 secrets fill it: a record per pass, each holding data and metadata entries):
// - `secretrun kv get -field` of one secret (what the CLI, and the runner likewise, pay while
//   a server has writes not yet checkpointed), beside the same without a journal;
// - a checkpoint (wall time) and the longest the event loop waited meanwhile (what a request
//   arriving during it waits at most).
// Usage: npm run build && node bench/journal.mjs [runs, default 7]   (bundles src/store with esbuild
// to fill journals as the server does; reads through the built CLI)
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { timeRoundRobin } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-journal-'));
const env = { SECRETRUN_KEY: randomBytes(32).toString('base64'), XDG_CONFIG_HOME: join(work, 'cfg') };
const bundle = join(work, 'store.mjs');
await build({
  stdin: { contents: "export { openFileStore } from './src/store/file-store.ts';\nexport { writeLocalSecret } from './src/library/secret-writes.ts';", resolveDir: root, loader: 'ts' },
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  logLevel: 'silent',
});
const { openFileStore, writeLocalSecret } = await import(pathToFileURL(bundle).href);
const manual = { records: 1e9, bytes: 1e12, ms: 1e9 };
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const secretPath = (i) => `secret/bench/app-${String(i).padStart(5, '0')}`;

// A store of `count` secrets as KV v2 keeps them (a data and a metadata entry each).
async function makeStore(count) {
  const path = join(work, `base-${count}`, 'store.json');
  const store = await openFileStore({ path, env, create: true });
  await store.update((s) => {
    for (let i = 0; i < count; i++) writeLocalSecret(s, secretPath(i), { api_key: `value-${i}`, user: `user-${i}` }, {}, Date.now());
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
    await Promise.all(Array.from({ length: 16 }, (_, c) => store.update((s) => writeLocalSecret(s, secretPath((n + c) % count), { api_key: `new-${n + c}`, user: 'user' }, {}, Date.now()))));
  }
  return { path, store, journalBytes: statSync(journal).size };
}

// Median ms of `secretrun kv get -field` on the store at `path` and at `other`, in the same rounds.
function timeReads(path, other) {
  const cli = join(root, 'bin', 'secretrun.cjs');
  const read = (label, store) => ({
    label,
    command: process.execPath,
    args: [cli, 'kv', 'get', '-field=api_key', 'secret/bench/app-00005'],
    options: { env: { ...env, PATH: process.env.PATH, HOME: work, SECRETRUN_STORE: store, XDG_CACHE_HOME: join(work, `cache-${label}`) } },
  });
  const [plain, journaled] = timeRoundRobin([read('plain', path), read('journaled', other)], runs);
  return [plain.ms, journaled.ms];
}

console.log(`bench/journal: node ${process.version}, median of ${runs} runs\n`);
console.log('secrets   journal  kv get: no journal  with journal   checkpoint  longest event-loop wait');
try {
  for (const count of [10, 1000, 10000]) {
    const base = await makeStore(count);
    for (const size of [256 * 1024, 1024 * 1024, 4 * 1024 * 1024]) {
      const checkpoints = [];
      const waits = [];
      let reads = [0, 0];
      let journalBytes = 0;
      for (let r = 0; r < Math.max(3, Math.ceil(runs / 2)); r++) {
        const copy = await withJournal(base, count, size, `j-${count}-${size}-${r}`);
        journalBytes = copy.journalBytes;
        if (r === 0) reads = timeReads(base, copy.path);
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
        `${String(count).padStart(7)}  ${kib.padStart(8)}  ${reads[0].toFixed(1).padStart(12)} ms  ${reads[1].toFixed(1).padStart(9)} ms  ${median(checkpoints).toFixed(1).padStart(8)} ms  ${median(waits).toFixed(1).padStart(8)} ms`,
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
