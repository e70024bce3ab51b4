import { fstatSync } from 'node:fs';
import type { StreamKind } from '../runner/runner-io.js';

// What file descriptor `fd` is. One fstat answers a pipe or a file (CI, containers, the
// benches) without loading node:tty and the stream modules it pulls in (~2 ms of the runner's
// start-up); only a character device is asked whether it is a terminal (/dev/null is not).
// A socket counts as a pipe: Node and libuv give their children socket pairs where a shell
// gives pipes, and either is read as it is written.
export function readStreamKind(fd: number): StreamKind {
  let stats;
  try {
    stats = fstatSync(fd);
  } catch {
    return 'other';
  }
  if (stats.isFIFO() || stats.isSocket()) return 'pipe';
  if (stats.isFile()) return 'file';
  if (stats.isCharacterDevice() && process.getBuiltinModule('node:tty').isatty(fd)) return 'terminal';
  return 'other';
}
