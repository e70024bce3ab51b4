// bench/runner (c): output masking throughput. Two measures:
// - end to end: `secretrun run --once -- cat FILE | wc -c`, masked and unmasked (`mask: false`,
//   where the child writes straight to the runner's stdout). MB/s over the whole run, as a user
//   times it, and the steady rate from two output sizes (the difference of their times), which
//   leaves out start-up;
// - in process: the masker alone over the same output in 64 KiB chunks (the pipe's chunk size),
//   beside copying those chunks.
// Outputs: typical log text; bytes drawn from the secrets' first bytes (the old masker compared
// values at each); and prefixes of secrets back to back (near matches all the way). The row
// `relay only` masks one value that never occurs: what passing output through the runner
// costs by itself (with no value long enough to mask, the command writes to the runner's
// stdout itself, as unmasked).
// MASK_MB=small,big sets the two output sizes (default 32,160).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './timing.mjs';

const chunkSize = 64 * 1024;

// Deterministic pseudo-random numbers (mulberry32), so every run measures the same output.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Secrets as they come: API keys, passwords, tokens; 16 to 64 characters.
export function makeSecrets(count, seed) {
  const next = random(seed);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=!@#%^&*.';
  return Array.from({ length: count }, () => Array.from({ length: 16 + Math.floor(next() * 49) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
}

// `bytes` of output of one kind, as a Buffer.
export function makeOutput(kind, secrets, bytes, seed = 1) {
  const next = random(seed);
  const out = Buffer.alloc(bytes);
  let at = 0;
  if (kind === 'typical') {
    const words = 'the request user handled status ok error retry cache miss hit GET POST /api/v1/items duration connection pool worker started stopped id key value'.split(' ');
    const levels = ['INFO', 'DEBUG', 'WARN', 'ERROR'];
    for (let line = 0; at < bytes; line++) {
      const parts = [`2024-05-0${1 + (line % 9)}T10:${String(line % 60).padStart(2, '0')}:${String((line * 7) % 60).padStart(2, '0')}.${String(line % 1000).padStart(3, '0')}Z`, levels[line % 4]];
      const count = 4 + Math.floor(next() * 8);
      for (let w = 0; w < count; w++) parts.push(next() < 0.2 ? `${words[Math.floor(next() * words.length)]}=${Math.floor(next() * 100000)}` : words[Math.floor(next() * words.length)]);
      at += out.write(`${parts.join(' ')}\n`, at);
    }
  } else if (kind === 'first-bytes') {
    const firsts = [...new Set(secrets.map((secret) => secret.charCodeAt(0)))];
    while (at < bytes) out[at++] = next() < 0.1 ? 0x20 : firsts[Math.floor(next() * firsts.length)];
  } else {
    while (at < bytes) {
      const secret = secrets[Math.floor(next() * secrets.length)];
      at += out.write(secret.slice(0, 1 + Math.floor(next() * (secret.length - 1))), at);
    }
  }
  return out;
}

// Writes `size` bytes of output to a file, repeating `sample`.
function writeOutputFile(file, sample, size) {
  const fd = openSync(file, 'w');
  for (let written = 0; written < size; written += sample.length) writeSync(fd, sample, 0, Math.min(sample.length, size - written));
  closeSync(fd);
}

// Times the masker alone over `sample` in pipe-sized chunks; MB/s, best of `rounds`.
export function inProcess(createMasker, values, sample, rounds) {
  const chunks = [];
  for (let at = 0; at < sample.length; at += chunkSize) chunks.push(sample.subarray(at, at + chunkSize));
  const rates = [];
  for (let round = 0; round < rounds; round++) {
    const masker = values === undefined ? undefined : createMasker(values);
    const start = process.hrtime.bigint();
    let total = 0;
    // The masker returns pieces (slices of the chunk and replacements).
    const size = (parts) => parts.reduce((sum, part) => sum + part.length, 0);
    for (const chunk of chunks) total += masker ? size(masker.write(chunk)) : Buffer.from(chunk).length;
    if (masker) total += size(masker.end());
    rates.push(sample.length / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9));
    if (total === 0) throw new Error('nothing came out');
  }
  return Math.max(...rates);
}

// The masker bundled from source, so that it is measured as the runner runs it.
export async function loadMasker(root, work) {
  const { build } = await import('esbuild');
  const file = join(work, 'masker.mjs');
  await build({ entryPoints: [join(root, 'src/runner/masker.ts')], bundle: true, format: 'esm', platform: 'node', outfile: file, logLevel: 'error' });
  return (await import(pathToFileURL(file).href)).createMasker;
}

// The matcher's build on a cold start, as the runner pays it on its command's first output:
// ms for `count` values, median of `runs` fresh processes (each builds once, unoptimised).
function coldBuild(work, values, runs) {
  const file = join(work, 'masker.mjs');
  const code = `import(${JSON.stringify(pathToFileURL(file).href)}).then(({ createMasker }) => {
    const values = JSON.parse(process.argv[1]);
    const start = process.hrtime.bigint();
    createMasker(values).write(Buffer.from('x'));
    console.log(Number(process.hrtime.bigint() - start) / 1e6);
  });`;
  const times = Array.from({ length: runs }, () => Number(spawnSync(process.execPath, ['-e', code, JSON.stringify(values)], { encoding: 'utf8' }).stdout));
  return median(times);
}

// A relay as short as Node allows: `cat FILE` through a pipe to stdout, with backpressure.
const bareRelay = `const c = require('node:child_process').spawn('cat', [process.argv[1]], { stdio: ['ignore', 'pipe', 'inherit'] });
c.stdout.on('data', (d) => { if (!process.stdout.write(d)) { c.stdout.pause(); process.stdout.once('drain', () => c.stdout.resume()); } });`;

// The leanest relay Node allows, for comparison: a reused read buffer (no stream, no buffer
// per read) and blocking writes to its stdout, reading `cat`'s pipe on its stdin. The runner
// cannot read its command's pipe this way: Node gives no public way to read a spawned child's
// pipe into a buffer of one's own, and blocking writes would stop it handling signals while a
// slow reader holds its output (docs/runner.md, Masking).
const leanRelay = `const fs = require('node:fs');
new (require('node:net').Socket)({ fd: 0, readable: true, writable: false, onread: { buffer: Buffer.allocUnsafe(65536), callback(n, b) { for (let o = 0; o < n; ) o += fs.writeSync(1, b, o, n - o); } } });`;

// Runs the whole section; `secretrun(...args)` runs the CLI in `work` with `env`.
export async function benchMasking({ root, cli, work, env, secretrun, runs }) {
  const createMasker = await loadMasker(root, work);
  // MASK_MB=4,20 for smaller outputs (the old masker took minutes over the default sizes).
  const sizes = (process.env.MASK_MB ?? '32,160').split(',').map((mb) => Number(mb) * 1e6);
  const kinds = ['typical', 'first-bytes', 'near-matches'];
  // `relay only` masks one value that never occurs: the cost of passing output through the
  // runner at all.
  // `bare Node relay` is ten lines of Node copying `cat`'s pipe to its stdout, without the
  // runner: what any relay in Node costs on the machine.
  const cases = [
    { label: 'unmasked', count: 20, kind: 'typical', mask: false },
    { label: 'bare Node relay (no runner)', count: 20, kind: 'typical', mask: false, bare: true },
    { label: 'leanest Node relay (no runner)', count: 20, kind: 'typical', mask: false, bare: true, lean: true },
    { label: 'relay only (1 value, absent)', count: 1, kind: 'typical', mask: true },
  ];
  for (const count of [20, 1000]) for (const kind of kinds) cases.push({ label: `${kind}, ${count} secrets`, count, kind, mask: true });
  const secretSets = new Map([1, 20, 1000].map((count) => [count, makeSecrets(count, count)]));
  for (const [count, secrets] of secretSets) {
    const data = Object.fromEntries(secrets.map((secret, i) => [`s${i}`, secret]));
    writeFileSync(join(work, `mask-${count}.json`), JSON.stringify(data));
    secretrun('kv', 'put', `secret/bench/mask${count}`, `@${join(work, `mask-${count}.json`)}`);
    for (const mask of [true, false]) {
      writeFileSync(join(work, `mask-${count}-${mask}.yaml`), `mask: ${mask}\nonce: true\nexpand:\n  - path: secret/bench/mask${count}\n    prefix: MASK_\n`);
    }
  }
  const samples = new Map();
  for (const c of cases) {
    const key = c.kind === 'typical' ? 'typical' : `${c.kind}-${c.count}`;
    if (!samples.has(key)) {
      const sample = makeOutput(c.kind, secretSets.get(c.count), 16e6, c.count);
      samples.set(key, sample);
      for (const size of sizes) writeOutputFile(join(work, `${key}-${size}.out`), sample, size);
    }
    c.sample = samples.get(key);
    c.files = sizes.map((size) => join(work, `${key}-${size}.out`));
  }
  // End to end, round-robin over cases and sizes so drift hits all alike.
  const times = cases.map(() => sizes.map(() => []));
  for (let round = 0; round <= runs; round++) {
    for (const [ci, c] of cases.entries()) {
      for (const [si, file] of c.files.entries()) {
        const manifest = join(work, `mask-${c.count}-${c.mask}.yaml`);
        const command = c.lean
          ? ['sh', '-c', 'cat "$1" | "$2" -e "$3"', 'sh', file, process.execPath, leanRelay]
          : c.bare
            ? [process.execPath, '-e', bareRelay, file]
            : [process.execPath, cli, 'run', '--manifest', manifest, '--', 'cat', file];
        const start = process.hrtime.bigint();
        const result = spawnSync('sh', ['-c', 'exec "$@" | wc -c', 'sh', ...command], { env, cwd: work, encoding: 'utf8' });
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (result.status !== 0 || result.stdout.trim() === '') throw new Error(`masking run failed: ${result.stderr}`);
        if (round > 0) times[ci][si].push(ms);
      }
    }
  }
  const rows = cases.map((c, ci) => {
    const [small, big] = times[ci].map(median);
    const wall = sizes[1] / 1e6 / (big / 1000);
    const steady = (sizes[1] - sizes[0]) / 1e6 / ((big - small) / 1000);
    const own = c.bare ? 0 : inProcess(createMasker, c.mask ? secretSets.get(c.count) : undefined, c.sample.subarray(0, Math.min(c.sample.length, sizes[0])), 5);
    return { label: c.label, wall, steady, own };
  });
  const base = rows[0];
  const width = Math.max(...rows.map((row) => row.label.length));
  console.log(`\n(c) masking throughput (MB/s; end to end: median of ${runs} runs of \`run --once -- cat FILE | wc -c\`; ratio = unmasked / this)`);
  const [smallMb, bigMb] = sizes.map((size) => size / 1e6);
  console.log(`${''.padEnd(width)}  ${`whole run, ${bigMb} MB`.padStart(20)}  ${`steady (${bigMb}-${smallMb} MB)`.padStart(20)}  ${'in process, 64 KiB chunks'.padStart(27)}`);
  for (const row of rows) {
    const ratio = (value, baseValue) => (row === base ? '' : ` ${(baseValue / value).toFixed(2)}x`);
    console.log(`${row.label.padEnd(width)}  ${`${row.wall.toFixed(0)}${ratio(row.wall, base.wall)}`.padStart(20)}  ${`${row.steady.toFixed(0)}${ratio(row.steady, base.steady)}`.padStart(20)}  ${(row.own === 0 ? '-' : `${row.own.toFixed(0)}${row === base ? ' (copy)' : ratio(row.own, base.own)}`).padStart(27)}`);
  }
  console.log(`building the matcher on a cold start (median of ${runs + 4} processes): ${[...secretSets].filter(([count]) => count > 1).map(([count, secrets]) => `${count} values ${coldBuild(work, secrets, runs + 4).toFixed(1)} ms`).join(', ')}`);
  const masked = rows.filter((row) => row !== base && !row.label.startsWith('bare') && !row.label.startsWith('lean') && !row.label.startsWith('relay'));
  const worst = (list) => list.reduce((a, b) => (base.wall / b.wall > base.wall / a.wall ? b : a));
  const show = (row) => `${(base.wall / row.wall).toFixed(2)}x (${row.label})`;
  console.log(`target: masking costs at most 2x unmasked (whole run), whatever the output -> worst ${show(worst(masked))}; without near matches ${show(worst(masked.filter((row) => !row.label.startsWith('near'))))}`);
  // What the matcher adds over passing output through the runner at all (the relay is Node's
  // stream machinery, not masking: docs/runner.md, Masking).
  const relay = rows.find((row) => row.label.startsWith('relay'));
  const worstOverRelay = masked.reduce((a, b) => (relay.wall / b.wall > relay.wall / a.wall ? b : a));
  console.log(`masking over relaying with nothing to mask: worst ${(relay.wall / worstOverRelay.wall).toFixed(2)}x (${worstOverRelay.label}); the relay itself ${(base.wall / relay.wall).toFixed(2)}x unmasked`);
}
