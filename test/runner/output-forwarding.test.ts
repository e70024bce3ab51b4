// forwardOutput with real child processes: what a command wrote before it exited is delivered,
// and a pipe that a process it left behind holds open is cut after the drain budget.
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createMasker, maskReplacement } from '../../src/runner/masker.js';
import { forwardOutput } from '../../src/runner/output-forwarding.js';

const background: number[] = [];
afterEach(() => {
  for (const pid of background.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

// Writes `bytes` x's to stdout, leaves `sleep 600` holding stdout, prints the sleeper's pid on
// stderr, and exits.
function commandLeavingSleeper(bytes: number) {
  const child = spawn('sh', ['-c', `sleep 600 & echo $! >&2; head -c ${bytes} /dev/zero | tr '\\0' x`], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (chunk: Buffer) => background.push(Number(chunk.toString().trim())));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

// A destination taking `delayMs` per write, with a tiny buffer so it pushes back at once.
function slowSink(delayMs: number): { sink: Writable; received: () => number } {
  let received = 0;
  const sink = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      setTimeout(done, delayMs);
    },
  });
  return { sink, received: () => received };
}

describe('forwardOutput after the command exited', () => {
  it('delivers everything written before the exit, then cuts the pipe a left-behind process holds', async () => {
    const { child, exited } = commandLeavingSleeper(60_000);
    const { sink, received } = slowSink(0);
    const forwarding = forwardOutput(child.stdout, () => sink, undefined);
    await exited;
    forwarding.drain(50);
    await forwarding.done;
    expect(received()).toBe(60_000);
    expect(child.stdout.destroyed).toBe(true);
  });

  it('does not count the time a full destination holds the pipe paused', async () => {
    // 200 KB cannot fit in a pipe: the command exits only once most of it was read, with up to
    // a pipe's worth left, which a 20 ms budget could not cover at 20 ms per write.
    const { child, exited } = commandLeavingSleeper(200_000);
    const { sink, received } = slowSink(20);
    const forwarding = forwardOutput(child.stdout, () => sink, undefined);
    await exited;
    forwarding.drain(20);
    await forwarding.done;
    expect(received()).toBe(200_000);
  });

  it('stops reading at once when cut', async () => {
    const { child, exited } = commandLeavingSleeper(10);
    const { sink } = slowSink(0);
    const forwarding = forwardOutput(child.stdout, () => sink, undefined);
    await exited;
    forwarding.cut();
    await forwarding.done;
    expect(child.stdout.destroyed).toBe(true);
  });
});

describe('forwardOutput through a masker', () => {
  it('resolves only once a slow destination took every piece of every masked write, and no value is in it', async () => {
    // A few values per pipe chunk, so each chunk becomes a handful of pieces (slices and
    // replacements), written corked with one completion awaited per chunk.
    const values = ['s3cr3t-value-one', 'another-s3cr3t-two'];
    const line = `${'x'.repeat(20_000)} ${values[0]} b ${values[1]} c\n`;
    const lines = 200;
    const script = `process.stdout.write(${JSON.stringify(line)}.repeat(${lines}))`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const parts: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, done) {
        parts.push(chunk);
        setTimeout(done, 0);
      },
    });
    const forwarding = forwardOutput(child.stdout, () => sink, createMasker(values));
    await forwarding.done;
    const text = Buffer.concat(parts).toString();
    // Booleans, so that a failure never prints a value.
    expect(text.length).toBe(`${'x'.repeat(20_000)} ${maskReplacement} b ${maskReplacement} c\n`.length * lines);
    expect(text === `${'x'.repeat(20_000)} ${maskReplacement} b ${maskReplacement} c\n`.repeat(lines)).toBe(true);
    for (const value of values) expect(text.includes(value)).toBe(false);
  });
});
