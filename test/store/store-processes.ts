import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import type { Env } from '../../src/store/store-paths.js';

// Store-writer child processes (test/fixtures/store-writer.ts) and their acknowledged writes.
export interface Writer {
  child: ChildProcess;
  acks: string[];
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

// Starts one bundled writer; every "ack <key>" line it prints lands in `acks`.
export function startWriter(bundle: string, env: Env, path: string, name: string, count: number, lockTimeoutMs?: number): Writer {
  const child = spawn(process.execPath, [bundle, path, name, String(count), ...(lockTimeoutMs === undefined ? [] : [String(lockTimeoutMs)])], { env: { ...env, PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  const acks: string[] = [];
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('ack ')) acks.push(line.slice(4));
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(`store-writer ${name} exited ${code}: ${stderr.slice(0, 500)}\n`);
      resolve(code);
    }),
  );
  return { child, acks, exited };
}

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
