// bench/runner (d): `secretrun check` over manifests of 2,000 and 20,000 variables (50 secrets
// in the local store, one field per variable). Each run parses the manifest: its cache entry is
// removed first (a cached manifest skips the parser, where the time grew with the square of the
// variables). A 20-variable manifest gives the fixed cost (start-up, opening the store); linear
// work then makes the time above it grow 10x from 2,000 to 20,000 variables.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printRows, timeRoundRobin } from './timing.mjs';

const secrets = 50;

export async function benchCheck({ cli, work, env, secretrun, runs }) {
  const counts = [20, 2000, 20000];
  const largest = Math.max(...counts);
  for (let s = 0; s < secrets; s++) {
    const data = {};
    for (let i = s; i < largest; i += secrets) data[`field_${i}`] = `value-${i}`;
    writeFileSync(join(work, `check-${s}.json`), JSON.stringify(data));
    secretrun('kv', 'put', `secret/bench/check/s${s}`, `@${join(work, `check-${s}.json`)}`);
  }
  const manifestCache = join(env.XDG_CACHE_HOME, 'secretrun', 'manifests');
  const entries = counts.map((count) => {
    let text = 'env:\n';
    for (let i = 0; i < count; i++) text += `  VAR_${i}: secret/bench/check/s${i % secrets}#field_${i}\n`;
    const file = `check-${count}.yaml`;
    writeFileSync(join(work, file), text);
    return {
      label: `check, ${count} variables`,
      command: 'sh',
      args: ['-c', 'rm -rf "$0" && exec "$@" >/dev/null', manifestCache, process.execPath, cli, 'check', '--manifest', file],
      options: { env, cwd: work },
    };
  });
  const rows = timeRoundRobin(entries, runs);
  console.log(`\n(d) check, median of ${runs} runs (ms), manifest parsed every run; ratio to ${counts[1]} variables`);
  printRows(rows, rows[1].ms);
  const [fixed, small, big] = rows.map((row) => row.ms);
  console.log(`target: linear -> ${counts[2] / counts[1]}x the variables took ${(big / small).toFixed(2)}x the time, ${((big - fixed) / (small - fixed)).toFixed(2)}x the time above ${counts[0]} variables`);
}
