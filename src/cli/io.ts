import type { ChildIo } from '../runner/runner-io.js';
import type { SignalSource } from '../runner/signals.js';

// What a command may touch of the outside world. `main` receives it as a parameter so tests
// can run commands in-process with captured streams and a chosen environment.
export interface OutputStream {
  write(text: string): void;
  readonly isTTY: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Reads all of standard input (for `key=-` and bare `-`); TooLargeError past `maxBytes`. */
  readStdin(maxBytes: number): Promise<string>;
  /** Whether standard input is a terminal (for passphrase prompts). */
  stdinIsTTY: boolean;
  /** Asks on the terminal without echoing the answer; absent where there is no terminal. */
  promptSecret?: (question: string) => Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Signals sent to this process (process signals in production, an emitter in tests). */
  signals: SignalSource;
  /** The clock: milliseconds since the epoch. */
  now: () => number;
  /** In [0, 1): for splay and poll jitter. */
  random: () => number;
  /** What `run` starts its command with: the standard streams as bytes, and spawn. */
  child: ChildIo;
}
