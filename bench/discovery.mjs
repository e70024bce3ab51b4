// bench/discovery: what finding the project costs (docs/projects.md). Times `secretrun run --once
// -- true` with 10 references and `secretrun kv get -field` at the project's root (the walk
// finds it at once: one or two stat calls), five directories below it (the walk climbs five
// levels), and with every path given (-manifest and SECRETRUN_STORE: no walk), beside
// `node -e 0`, all in one round-robin. With `--against DIR` (another checkout, built), the
// same commands at the project's root and with SECRETRUN_STORE, as bench/runner and bench/store
// run them, are timed with that checkout's CLI too: a before/after of one change.
// Usage: npm run build && node bench/discovery.mjs [runs] [--against DIR]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairedRatios, printRows, timeRoundRobin } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'secretrun.cjs');
const args = process.argv.slice(2);
const againstAt = args.indexOf('--against');
const against = againstAt === -1 ? undefined : join(args[againstAt + 1], 'bin', 'secretrun.cjs');
const runs = Number(args.find((arg, i) => /^\d+$/.test(arg) && args[i - 1] !== '--against') ?? 21);

// The project lives under its own $HOME, so the walk from below stops at the project.
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-discovery-'));
const project = join(work, 'project');
const below = join(project, 'a', 'b', 'c', 'd', 'e');
mkdirSync(below, { recursive: true });
const env = { ...process.env, HOME: work, SECRETRUN_KEY: randomBytes(32).toString('base64'), XDG_CONFIG_HOME: join(work, 'config'), XDG_CACHE_HOME: join(work, 'cache') };
delete env.VAULT_ADDR;
delete env.SECRETRUN_STORE;
const store = join(project, '.secretrun', 'store.json');
const manifest = join(project, 'secretrun.yaml');

const names = Array.from({ length: 10 }, (_, i) => `var_${i}`);
for (const name of names) {
  const put = spawnSync(process.execPath, [cli, 'kv', 'put', `secret/bench/${name}`, `value=${randomBytes(8).toString('hex')}`], { env, cwd: project, encoding: 'utf8' });
  if (put.status !== 0) throw new Error(`kv put failed: ${put.stderr}`);
}
writeFileSync(manifest, `env:\n${names.map((name) => `  ${name.toUpperCase()}: secret/bench/${name}#value\n`).join('')}`);

const entry = (label, bin, argv, cwd, extra = {}) => ({ label, command: process.execPath, args: [bin, ...argv], options: { env: { ...env, ...extra }, cwd } });
const run = ['run', '--once', '--', 'true'];
const get = ['kv', 'get', '-field=value', 'secret/bench/var_5'];
const entries = [
  { label: 'node -e 0', command: process.execPath, args: ['-e', '0'], options: { env, cwd: project } },
  entry('run --once, at the root', cli, run, project),
  entry('run --once, 5 levels below', cli, run, below),
  entry('run --once, -manifest and SECRETRUN_STORE', cli, ['run', '--once', `-manifest=${manifest}`, '--', 'true'], below, { SECRETRUN_STORE: store }),
  entry('kv get -field, at the root', cli, get, project),
  entry('kv get -field, 5 levels below', cli, get, below),
  entry('kv get -field, SECRETRUN_STORE', cli, get, below, { SECRETRUN_STORE: store }),
];
if (against !== undefined) {
  entries.push(
    entry('run --once, at the root (--against)', against, run, project),
    entry('run --once, SECRETRUN_STORE (this)', cli, run, project, { SECRETRUN_STORE: store }),
    entry('run --once, SECRETRUN_STORE (--against)', against, run, project, { SECRETRUN_STORE: store }),
    entry('kv get -field, at the root (--against)', against, get, project),
    entry('kv get -field, SECRETRUN_STORE (this)', cli, get, project, { SECRETRUN_STORE: store }),
    entry('kv get -field, SECRETRUN_STORE (--against)', against, get, project, { SECRETRUN_STORE: store }),
  );
}
const rows = timeRoundRobin(entries, runs);
console.log(`median of ${runs} round-robin runs (ms); ratio = time / node -e 0; paired = median of per-round ratios`);
printRows(rows, rows[0].ms);
const paired = pairedRatios(rows, rows[0]);
const byLabel = new Map(rows.map((row, i) => [row.label, { row, paired: paired[i] }]));
const compare = (a, b) => {
  const x = byLabel.get(a);
  const y = byLabel.get(b);
  const perRound = x.row.samples.map((ms, i) => ms / y.row.samples[i]).sort((p, q) => p - q);
  console.log(`${a} / ${b}: ${(x.row.ms / y.row.ms).toFixed(3)}x by median, ${perRound[Math.floor(perRound.length / 2)].toFixed(3)}x paired`);
};
console.log('');
compare('run --once, 5 levels below', 'run --once, at the root');
compare('run --once, at the root', 'run --once, -manifest and SECRETRUN_STORE');
compare('kv get -field, 5 levels below', 'kv get -field, at the root');
compare('kv get -field, at the root', 'kv get -field, SECRETRUN_STORE');
if (against !== undefined) {
  compare('run --once, at the root', 'run --once, at the root (--against)');
  compare('run --once, SECRETRUN_STORE (this)', 'run --once, SECRETRUN_STORE (--against)');
  compare('kv get -field, at the root', 'kv get -field, at the root (--against)');
  compare('kv get -field, SECRETRUN_STORE (this)', 'kv get -field, SECRETRUN_STORE (--against)');
}

// The walk itself is stat calls (src/store/project-discovery.ts): 1 at a root holding
// secretrun.yaml, 2 at a root holding only .secretrun/, and from 5 levels below 22 (three per
// level, the device of each directory climbed, and the hit). What one costs here:
const probes = 20_000;
const missing = join(below, 'secretrun.yaml');
for (let i = 0; i < 1000; i++) statSync(missing, { throwIfNoEntry: false });
const started = process.hrtime.bigint();
for (let i = 0; i < probes; i++) statSync(missing, { throwIfNoEntry: false });
const perStat = Number(process.hrtime.bigint() - started) / 1e3 / probes;
console.log(`\none stat call: ${perStat.toFixed(2)} us; the walk at a root: ${perStat.toFixed(2)} us, from 5 levels below: ${(22 * perStat).toFixed(1)} us`);
rmSync(work, { recursive: true, force: true });
