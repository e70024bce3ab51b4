import { readFileSync } from 'node:fs';

// The process's soft limit on open file descriptors (`ulimit -n`), read from /proc on Linux;
// undefined where it cannot be read (other systems, or no /proc). Node has no getrlimit.
export function readOpenFileLimit(): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(text)?.[1];
  return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
}
