// Timing helpers for the bench scripts. Commands are run in rounds (each command once per
// round) so a machine that speeds up or slows down during the run affects all of them alike,
// and each figure is the median of its runs after one warm-up round. The order within a round
// is shuffled: in a fixed order each command always followed the same one, and the command
// after a heavy one (dotenvx) ran on a machine that heavy one had just left busy or idle.
import { spawnSync } from 'node:child_process';

// One command to time: what to run and how.
// { label, command, args, options } — options are spawnSync's (env, cwd, ...).
export function timeRoundRobin(entries, runs) {
  const samples = entries.map(() => []);
  for (let round = 0; round <= runs; round++) {
    for (const index of shuffled(entries.map((_, i) => i))) {
      const entry = entries[index];
      const start = process.hrtime.bigint();
      const result = spawnSync(entry.command, entry.args, { stdio: ['ignore', 'pipe', 'pipe'], ...entry.options });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`${entry.label} failed (${result.status}): ${String(result.stderr).trim().split('\n')[0]}`);
      if (round > 0) samples[index].push(ms);
    }
  }
  return entries.map((entry, index) => ({ label: entry.label, ms: median(samples[index]), samples: samples[index] }));
}

function shuffled(items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
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

// The median over rounds of each row's time divided by the base row's time in the same round.
// Beside the ratio of medians: on a machine whose speed drifts (this VM's `node -e 0` ranges
// from 80 to 170 ms), pairing samples of one round cancels the drift they share.
export function pairedRatios(rows, base) {
  return rows.map((row) => median(row.samples.map((ms, round) => ms / base.samples[round])));
}
