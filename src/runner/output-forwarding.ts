import type { Readable, Writable } from 'node:stream';
import type { Masker } from './masker.js';

// Copies one of the child's output pipes to one of the runner's streams, through a masker when
// masking, and resolves once the pipe has closed and the destination has taken every byte (so
// a caller's slow stream holds the whole output when the run resolves). A full destination
// pauses the pipe until it drains, so output never piles up in memory.
//
// Plain 'data' events rather than stream.pipe(): pipe() compares its destination with
// process.stdout and process.stderr, which creates both (a socket each for a pipe), while the
// destination here is asked for on the child's first byte only, so a quiet command (a CI step,
// `true`) does not pay for the runner's stdout. (Node's own teardown of the child's pipes still
// creates process.stderr.)
export function forwardOutput(from: Readable | null, to: () => Writable, masker: Masker | undefined): Promise<void> {
  if (!from) return Promise.resolve();
  let destination: Writable | undefined;
  let unwritten = 0;
  let closed = false;
  let done: () => void = () => undefined;
  const settle = (): void => {
    if (closed && unwritten === 0) done();
  };
  const write = (bytes: Buffer): void => {
    if (bytes.length === 0) return;
    destination ??= to();
    unwritten += 1;
    const more = destination.write(bytes, () => {
      unwritten -= 1;
      settle();
    });
    if (more) return;
    from.pause();
    destination.once('drain', () => from.resume());
  };
  from.on('data', (chunk: Buffer) => write(masker ? masker.write(chunk) : chunk));
  from.once('end', () => {
    if (masker) write(masker.end());
  });
  // A read error on the pipe ends the copy; 'close' follows it as it follows 'end'.
  from.on('error', () => undefined);
  return new Promise((resolve) => {
    done = resolve;
    from.once('close', () => {
      closed = true;
      settle();
    });
  });
}
