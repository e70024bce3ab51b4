import type { Readable, Writable } from 'node:stream';
import type { Masker } from './masker.js';

// The copying of one or more of a child's output pipes to the runner's streams.
export interface Forwarding {
  /** Resolves once the pipes are closed (or cut) and the destinations took every byte read. */
  readonly done: Promise<void>;
  /**
   * The child has exited, but a process it left behind may hold its pipes open for as long as
   * it lives. Reads on for at most `budgetMs` of reading time (time paused by a full
   * destination does not count), then once more what is already waiting, then cuts.
   */
  drain(budgetMs: number): void;
  /** Stops reading now; what was read is still delivered. */
  cut(): void;
}

const nothing: Forwarding = { done: Promise.resolve(), drain: () => undefined, cut: () => undefined };

// Copies one of the child's output pipes to one of the runner's streams, through a masker when
// masking. A full destination pauses the pipe until it drains, so output never piles up in
// memory, and `done` waits for the destination to take every byte (so a caller's slow stream
// holds the whole output when the run resolves).
//
// Plain 'data' events rather than stream.pipe(): pipe() compares its destination with
// process.stdout and process.stderr, which creates both (a socket each for a pipe), while the
// destination here is asked for on the child's first byte only, so a quiet command (a CI step,
// `true`) does not pay for the runner's stdout. (Node's own teardown of the child's pipes still
// creates process.stderr.)
export function forwardOutput(from: Readable | null, to: () => Writable, masker: Masker | undefined): Forwarding {
  if (!from) return nothing;
  let destination: Writable | undefined;
  let unwritten = 0;
  let closed = false;
  let ended = false;
  let paused = false;
  let done: () => void = () => undefined;
  const settle = (): void => {
    if (closed && unwritten === 0) done();
  };
  const written = (): void => {
    unwritten -= 1;
    settle();
  };
  // Writes the pieces a chunk became (one chunk, or the masker's slices of it and
  // replacements) as one write: corked, a stream hands them to the system together (writev).
  // A stream completes writes in order, so only the last piece's completion is waited for.
  const write = (parts: readonly Buffer[]): void => {
    if (parts.length === 0) return;
    const target = (destination ??= to());
    if (parts.length > 1) target.cork();
    let more = true;
    unwritten += 1;
    const last = parts.length - 1;
    for (let index = 0; index < last; index++) target.write(parts[index]);
    more = target.write(parts[last], written);
    if (parts.length > 1) {
      target.uncork();
      more = !target.writableNeedDrain;
    }
    if (more || paused) return;
    from.pause();
    paused = true;
    clock.stop();
    target.once('drain', () => {
      paused = false;
      from.resume();
      clock.start();
    });
  };
  const end = (): void => {
    if (ended) return;
    ended = true;
    if (masker) write(masker.end());
  };
  const cut = (): void => {
    if (closed) return;
    clock.stop();
    end();
    from.destroy();
  };
  const clock = drainClock(cut, () => paused || closed);
  from.on('data', (chunk: Buffer) => write(masker ? masker.write(chunk) : [chunk]));
  from.once('end', end);
  // A read error on the pipe ends the copy; 'close' follows it as it follows 'end'.
  from.on('error', () => undefined);
  const finished = new Promise<void>((resolve) => {
    done = resolve;
    from.once('close', () => {
      closed = true;
      clock.stop();
      settle();
    });
  });
  return { done: finished, drain: (budgetMs) => clock.begin(budgetMs), cut };
}

// Counts the reading time left once a drain began, and cuts when it is spent. The cut waits
// for one more turn of the event loop, so bytes already waiting in the pipe (the command's
// last output, on a machine too busy to have read it yet) are read first.
function drainClock(cut: () => void, idle: () => boolean) {
  let left: number | undefined;
  let since = 0;
  let timer: NodeJS.Timeout | undefined;
  const clock = {
    begin(budgetMs: number): void {
      if (left !== undefined) return;
      left = budgetMs;
      clock.start();
    },
    start(): void {
      if (left === undefined || timer !== undefined || idle()) return;
      since = Date.now();
      timer = setTimeout(() => setImmediate(cut), left);
    },
    stop(): void {
      if (timer === undefined || left === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      left = Math.max(0, left - (Date.now() - since));
    },
  };
  return clock;
}

// Several forwardings as one (a child's stdout and stderr).
export function joinForwardings(parts: readonly Forwarding[]): Forwarding {
  return {
    done: Promise.all(parts.map((part) => part.done)).then(() => undefined),
    drain: (budgetMs) => parts.forEach((part) => part.drain(budgetMs)),
    cut: () => parts.forEach((part) => part.cut()),
  };
}
