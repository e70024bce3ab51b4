// Timing helpers for the bench scripts. Commands are run round-robin (A B C A B C ...) so a
// machine that speeds up or slows down during the run affects all of them alike, and each
// figure is the median of its runs after one warm-up round.
import { spawnSync } from 'node:child_process';

// One command to time: what to run and how.
// { label, command, args, options } — options are spawnSync's (env, cwd, ...).
export function timeRoundRobin(entries, runs) {
  const samples = entries.map(() => []);
  for (let round = 0; round <= runs; round++) {
    for (const [index, entry] of entries.entries()) {
      const start = process.hrtime.bigint();
      const result = spawnSync(entry.command, entry.args, { stdio: ['ignore', 'pipe', 'pipe'], ...entry.options });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`${entry.label} failed (${result.status}): ${String(result.stderr).trim().split('\n')[0]}`);
      if (round > 0) samples[index].push(ms);
    }
  }
  return entries.map((entry, index) => ({ label: entry.label, ms: median(samples[index]) }));
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Prints rows of { label, ms } with their ratio to `baseline` ms.
export function printRows(rows, baseline) {
  const width = Math.max(...rows.map((row) => row.label.length));
  for (const { label, ms } of rows) console.log(`${label.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms   ${(ms / baseline).toFixed(2)}x`);
}
