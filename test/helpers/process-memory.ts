import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';

// The resident set size of process `pid` in bytes (Linux: VmRSS of /proc/<pid>/status), or
// undefined once the process is gone.
export function readRssBytes(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib) * 1024;
}

// The highest RSS of `pid` seen while `during` runs, sampled every `intervalMs`. Fails as soon
// as a sample passes `limitBytes` (naming the peak), so a process that grows without bound is
// caught before it takes the machine's memory, and `during` is told to stop through `signal`.
export async function watchPeakRss(
  pid: number,
  limitBytes: number,
  during: (signal: AbortSignal) => Promise<void>,
  { intervalMs = 25 } = {},
): Promise<number> {
  let peak = readRssBytes(pid) ?? 0;
  const stop = new AbortController();
  // Every concurrent part of an attack may listen for the call-off.
  setMaxListeners(0, stop.signal);
  let over = false;
  const sample = (): void => {
    const rss = readRssBytes(pid) ?? 0;
    peak = Math.max(peak, rss);
    if (rss > limitBytes && !over) {
      over = true;
      stop.abort();
    }
  };
  const timer = setInterval(sample, intervalMs);
  try {
    await during(stop.signal);
    sample();
  } finally {
    clearInterval(timer);
  }
  if (over) throw new Error(`RSS of pid ${pid} reached ${mib(peak)} MiB, over the bound of ${mib(limitBytes)} MiB`);
  return peak;
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
