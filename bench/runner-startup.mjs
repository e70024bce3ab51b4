// bench/runner (e): what each start-up trick of src/startup/ gains, in one round robin with the
// runner as shipped and `node -e 0`: each trick turned off by SECRETRUN_STARTUP_OFF (the code
// cache; the runner's own bundle, against the whole CLI; the manifest cache, against parsing;
// the early store open, against opening the store after reading the manifest). The run is
// `secretrun run --once -- true` with 10 references, as in (a). COMPARE=DIR[,DIR...] adds the
// binary DIR/bin/secretrun.cjs of other builds (each with a cache of its own) to the round robin.
// Then (f): what loading the modules the runner keeps off its start-up would cost a run, each
// timed inside a fresh `node` around its require()/import().
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { median, pairedRatios, printRows, timeRoundRobin } from './timing.mjs';

const tricks = [
  ['code-cache', 'code cache off (compile the bundle)'],
  ['runner-bundle', 'whole CLI instead of the runner bundle'],
  ['manifest-cache', 'manifest cache off (parse secretrun.yaml)'],
  ['early-open', 'early open off (store after manifest)'],
];

// Start-up with each trick off, beside everything on.
export function benchTricks({ cli, work, env, runs }) {
  const run = (label, command, args, extraEnv = {}) => ({ label, command, args, options: { env: { ...env, ...extraEnv }, cwd: work } });
  const runner = (off) => (off === '' ? {} : { SECRETRUN_STARTUP_OFF: off });
  const entries = [
    run('node -e 0', process.execPath, ['-e', '0']),
    run('secretrun run --once -- true (every trick on)', process.execPath, [cli, 'run', '--once', '--', 'true']),
    ...tricks.map(([trick, label]) => run(label, process.execPath, [cli, 'run', '--once', '--', 'true'], runner(trick))),
    run('every trick off', process.execPath, [cli, 'run', '--once', '--', 'true'], runner(tricks.map(([trick]) => trick).join(','))),
  ];
  for (const dir of (process.env.COMPARE ?? '').split(',').filter(Boolean)) {
    const cache = join(work, `cache-${entries.length}`);
    mkdirSync(cache);
    entries.push(run(`build at ${dir}`, process.execPath, [join(dir, 'bin', 'secretrun.cjs'), 'run', '--once', '--', 'true'], { XDG_CACHE_HOME: cache }));
  }
  const rows = timeRoundRobin(entries, runs);
  const [node, all] = rows;
  console.log(`\n(e) start-up tricks, median of ${runs} round-robin runs (ms); ratio = time / node -e 0; gain = median over rounds of (trick off - every trick on)`);
  printRows(rows, node.ms);
  const paired = pairedRatios(rows, node);
  const gain = (row) => median(row.samples.map((ms, round) => ms - all.samples[round]));
  console.log(`paired ratios to node -e 0: ${rows.slice(1).map((row, i) => `${row.label.split(' (')[0]} ${paired[i + 1].toFixed(2)}x`).join('; ')}`);
  console.log(`gain of each trick (ms): ${rows.slice(2).map((row) => `${row.label.split(' (')[0]} ${gain(row).toFixed(1)}`).join('; ')}`);
}

// Milliseconds inside a fresh node to load `what` (a require() or an import()).
function loadTime(what, esm) {
  const code = `const t = process.hrtime.bigint(); ${what}; process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const args = esm ? ['--input-type=module', '-e', code] : ['-e', code];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`loading ${what} failed: ${result.stderr}`);
  return Number(result.stdout);
}

// The cost of the modules kept off start-up: execa (hooks) against node:child_process (the
// supervised child), chokidar (the manifest watch), as installed and as the lazy bundles.
export function benchImports({ root, runs }) {
  const modules = (name) => JSON.stringify(join(root, 'node_modules', name));
  const lazy = (name) => join(root, 'dist', 'lazy', `${name}.cjs`);
  const cases = [
    ['node:child_process (the supervised child)', "require('node:child_process')", false],
    ['execa 9, as installed (ESM)', `await import(${JSON.stringify(`${join(root, 'node_modules', 'execa', 'index.js')}`)})`, true],
    ['dist/lazy/hook-runner.cjs (execa bundled)', `require(${JSON.stringify(lazy('hook-runner'))})`, false],
    ['chokidar, as installed', `await import(${modules('chokidar/index.js')})`, true],
    ['dist/lazy/file-watch.cjs (chokidar bundled)', `require(${JSON.stringify(lazy('file-watch'))})`, false],
  ].filter(([label, , esm]) => esm || !label.startsWith('dist/') || existsSync(lazy(label.slice('dist/lazy/'.length).split('.cjs')[0])));
  const samples = cases.map(() => []);
  for (let round = 0; round <= runs; round++) {
    for (const [index, [, what, esm]] of cases.entries()) {
      const ms = loadTime(what, esm);
      if (round > 0) samples[index].push(ms);
    }
  }
  console.log(`\n(f) loading what start-up leaves out, inside a fresh node (median of ${runs}, ms)`);
  const width = Math.max(...cases.map(([label]) => label.length));
  cases.forEach(([label], index) => console.log(`${label.padEnd(width)}  ${median(samples[index]).toFixed(1).padStart(6)} ms`));
}
