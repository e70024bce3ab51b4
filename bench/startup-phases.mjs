// bench/startup-phases: secretrun's own start-up, timed inside the process: from a `-r` hook
// (which runs just before the bin's first line, after Node's own boot) to the runner's spawn of
// its command and to exit, for `run --once -- true` (10 references) and `kv get -field`. Node's
// boot, the part `node -e 0` measures, is left out, so the figures hold still on a busy machine
// where whole-process times drift by more than what is measured (prefix `chrt -f 50` there).
// BASE=DIR[,DIR...] adds other builds (DIR/bin/secretrun.cjs, each with caches of its own),
// alternating with this one run by run, each taking each place in the order in turn.
// Usage: npm run build && node bench/startup-phases.mjs [runs, default 21]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localStoreEnv } from './bench-env.mjs';
import { median } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 21);
const work = mkdtempSync(join(tmpdir(), 'secretrun-bench-phases-'));
const env = localStoreEnv(work);
delete env.SECRETRUN_STARTUP_OFF;

// The hook: times (ms since it ran) of the first spawn and of exit, printed on stderr.
const hook = join(work, 'phases-hook.cjs');
writeFileSync(
  hook,
  `const t0 = performance.now(); const cp = require('node:child_process'); const spawn = cp.spawn; let spawned;
cp.spawn = function (...args) { spawned ??= performance.now() - t0; return spawn.apply(this, args); };
process.on('exit', () => process.stderr.write('\\nphases ' + JSON.stringify({ spawn: spawned, exit: performance.now() - t0 }) + '\\n'));\n`,
);

const builds = [{ label: 'this build', dir: root }, ...(process.env.BASE ?? '').split(',').filter(Boolean).map((dir) => ({ label: dir, dir }))];
const cli = (build) => join(build.dir, 'bin', 'secretrun.cjs');
const cacheOf = (build) => join(work, `cache-${builds.indexOf(build)}`);
const secretrun = (build, args) => spawnSync(process.execPath, [cli(build), ...args], { env: { ...env, XDG_CACHE_HOME: cacheOf(build) }, cwd: work, encoding: 'utf8' });

try {
  // Every build's first command is a write, as a user's usually is: it writes that build's code
  // caches for the commands it runs, and each build gets the same.
  for (let i = 0; i < 10; i++) {
    for (const build of builds) {
      const put = secretrun(build, ['kv', 'put', `secret/bench/v${i}`, `value=value-${i}-${randomBytes(8).toString('hex')}`]);
      if (put.status !== 0) throw new Error(`kv put failed: ${put.stderr}`);
    }
  }
  writeFileSync(join(work, 'secretrun.yaml'), `env:\n${Array.from({ length: 10 }, (_, i) => `  V${i}: secret/bench/v${i}#value\n`).join('')}`);
  const commands = [
    { label: 'run --once -- true (10 refs)', args: ['run', '--once', '--', 'true'] },
    { label: 'kv get -field', args: ['kv', 'get', '-field=value', 'secret/bench/v3'] },
  ];
  const samples = new Map();
  for (let round = -2; round < runs; round++) {
    // Each build takes each place in the order in turn.
    const order = builds.map((_, k) => builds[(round + 2 + k) % builds.length]);
    for (const command of commands) {
      for (const build of order) {
        const result = spawnSync(process.execPath, ['-r', hook, cli(build), ...command.args], { env: { ...env, XDG_CACHE_HOME: cacheOf(build) }, cwd: work, encoding: 'utf8' });
        if (result.status !== 0) throw new Error(`${build.label}: ${command.label} failed: ${result.stderr}`);
        if (round < 0) continue; // Fills the code and manifest caches.
        const line = result.stderr.split('\n').find((text) => text.startsWith('phases '));
        const key = `${command.label}|${build.label}`;
        samples.set(key, [...(samples.get(key) ?? []), JSON.parse(line.slice('phases '.length))]);
      }
    }
  }
  console.log(`secretrun start-up inside the process (from a -r hook), medians of ${runs} alternating runs, node ${process.version}`);
  for (const command of commands) {
    console.log(`\n${command.label}`);
    for (const build of builds) {
      const rows = samples.get(`${command.label}|${build.label}`);
      const spawn = rows.every((row) => row.spawn !== undefined) ? `to spawn ${median(rows.map((row) => row.spawn)).toFixed(1)} ms   ` : '';
      console.log(`  ${build.label.padEnd(28)} ${spawn}to exit ${median(rows.map((row) => row.exit)).toFixed(1)} ms`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
