// The process edge (src/process/): the standard streams and spawn of this process as the runner's io.
import type { ChildIo, RunOutput, StreamKind } from '../runner/runner-io.js';
import { readStreamKind } from './stream-kind.js';

// One of the process's own output streams as the runner uses it. The stream and what it is are
// read on first use: creating process.stdout costs about a millisecond (a socket for a pipe),
// so it happens once the command started, or never when the command writes to the descriptor
// itself.
function processOutput(fd: 1 | 2): RunOutput {
  let kind: StreamKind | undefined;
  return {
    get stream() {
      return fd === 1 ? process.stdout : process.stderr;
    },
    get kind() {
      kind ??= readStreamKind(fd);
      return kind;
    },
    fd,
  };
}

// What `run` starts its command with, from the process: the standard streams and spawn.
export function processChildIo(): ChildIo {
  return {
    stdout: processOutput(1),
    stderr: processOutput(2),
    stdin: 'inherit',
    // Plain child_process, not execa: execa's import alone costs more start-up time than the
    // whole budget allows, and we need none of its extras. Loaded on first use, not imported:
    // a bundle hoists static imports to its top, and node:child_process (with net and dgram)
    // would then be loaded by every command, not only by the runner.
    spawn: (file, args, options) => process.getBuiltinModule('node:child_process').spawn(file, args, options),
    platform: process.platform,
    pid: process.pid,
  };
}
