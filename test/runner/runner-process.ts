// Starts the bundled runner driver as a real process and records what it prints.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { captureOutput, type ChildEnd } from '../helpers/captured-output.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

export const fixtureDir = fileURLToPath(new URL('../fixtures/runner/', import.meta.url));
export const fixture = (name: string): string => join(fixtureDir, name);

export interface RunnerProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Waits until stdout contains `text` and returns stdout. */
  waitForOutput(text: string, stream?: 'stdout' | 'stderr'): Promise<string>;
  readonly exited: Promise<ChildEnd>;
  /** The pids of the commands the runner started, as they printed them (`ready <pid>`). */
  commandPids(): number[];
}

const running: RunnerProcess[] = [];

// Is `pid` still one of our fixture programs? Guards against killing a process that reused the
// pid of a command that already exited. Where /proc is missing, the printed pid is trusted.
function isFixtureProcess(pid: number): boolean {
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(fixtureDir);
  } catch {
    return false;
  }
}

// Kills every runner a test started and every command they started, in all paths: a runner
// killed (or crashed) before its command leaves that command running, re-parented to init.
afterEach(() => {
  for (const run of running.splice(0)) {
    for (const pid of run.commandPids()) {
      try {
        if (isFixtureProcess(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  }
});

// A temp dir holding a manifest and a source file for one test.
export function writeSetup(manifest: string, secrets: Record<string, unknown>): { dir: string; manifestFile: string; sourceFile: string } {
  const dir = makeTempDir('secretrun-runner-');
  const manifestFile = join(dir, 'secretrun.yaml');
  const sourceFile = join(dir, 'secrets.json');
  writeFileSync(manifestFile, manifest);
  writeFileSync(sourceFile, JSON.stringify(secrets));
  return { dir, manifestFile, sourceFile };
}

export function startRunner(
  driver: string,
  setup: { manifestFile: string; sourceFile: string },
  command: readonly string[],
  env: Record<string, string | undefined> = process.env,
): RunnerProcess {
  const child = spawn(process.execPath, [driver, setup.manifestFile, setup.sourceFile, '--', ...command], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { stdout, stderr, exited } = captureOutput(child);
  const run: RunnerProcess = {
    child,
    stdout,
    stderr,
    waitForOutput: async (text, stream = 'stdout') => {
      try {
        return await waitFor(`${stream} to contain ${JSON.stringify(text)}`, () => {
          const seen = stream === 'stdout' ? stdout() : stderr();
          return seen.includes(text) ? seen : undefined;
        });
      } catch (error) {
        throw new Error(`${(error as Error).message}; stdout: ${JSON.stringify(stdout())}; stderr: ${JSON.stringify(stderr())}`);
      }
    },
    exited,
    commandPids: () => [...stdout().matchAll(/ready (\d+)/g)].map((match) => Number(match[1])),
  };
  running.push(run);
  return run;
}

// How many times the driver's source has read secrets so far.
export function readCount(sourceFile: string): number {
  try {
    return readFileSync(`${sourceFile}.reads`, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

// Replaces the source file atomically (as the real store does), so the watcher never reads half a file.
export function writeSecrets(sourceFile: string, secrets: Record<string, unknown>): void {
  writeFileSync(`${sourceFile}.tmp`, JSON.stringify(secrets));
  renameSync(`${sourceFile}.tmp`, sourceFile);
}
