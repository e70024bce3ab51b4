import { SecretrunError } from '../errors.js';
import { TooLargeError } from '../fs/bounded-read.js';
import type { CliIo } from './io.js';
import { processChildIo } from '../process/child-io.js';
import { processSignals } from '../process/signals.js';

// The real process's streams and environment, for the binary. Everything about the standard
// streams is read on first use: creating process.stdout costs about a millisecond (a socket
// for a pipe), and the runner needs it only after its command started, if at all.
export function processIo(): CliIo {
  return {
    stdout: {
      write: (text) => void process.stdout.write(text),
      get isTTY() {
        return process.stdout.isTTY === true;
      },
    },
    stderr: {
      write: (text) => void process.stderr.write(text),
      get isTTY() {
        return process.stderr.isTTY === true;
      },
    },
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    readStdin: async (maxBytes) => {
      const chunks: Buffer[] = [];
      let length = 0;
      // Leaving the loop early destroys the stream: a producer that never ends (< /dev/zero)
      // is cut off at the limit instead of filling memory.
      for await (const chunk of process.stdin) {
        length += (chunk as Buffer).length;
        if (length > maxBytes) throw new TooLargeError('stdin', maxBytes);
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    promptSecret: promptWithoutEcho,
    env: process.env,
    cwd: process.cwd(),
    signals: processSignals,
    now: Date.now,
    random: Math.random,
    child: processChildIo(),
  };
}

// Reads one line from the terminal with echo off (raw mode), for passphrases.
async function promptWithoutEcho(question: string): Promise<string> {
  const input = process.stdin;
  // Echo goes off before the question shows: an answer typed as soon as it appears (a fast
  // typist, a script on a pty) must never be echoed.
  input.setRawMode(true);
  process.stderr.write(question);
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let answer = '';
      const onData = (chunk: Buffer): void => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            input.off('data', onData);
            resolve(answer);
            return;
          }
          if (char === '\u0003') {
            input.off('data', onData);
            reject(new SecretrunError('input', `interrupted at the prompt "${question.trim()}"`));
            return;
          }
          answer = char === '\u007f' ? answer.slice(0, -1) : answer + char;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stderr.write('\n');
  }
}
