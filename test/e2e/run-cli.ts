import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, expect } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

// What one CLI process did.
export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

// Per-call options: extra or removed (undefined) environment variables, stdin, working dir.
export interface RunOptions {
  env?: Readonly<Record<string, string | undefined>>;
  input?: string;
  cwd?: string;
}

// A fresh project directory with its own HOME and XDG_CONFIG_HOME, and a runner for the CLI in it.
export interface CliSandbox {
  dir: string;
  /** Where key files go: $XDG_CONFIG_HOME of the sandbox. */
  configHome: string;
  /** The default store path, `.secretrun/store.json` under `dir`. */
  storePath: string;
  /** The environment every run starts from (no VAULT_* variables, nothing from the real home). */
  env: Record<string, string>;
  run: (args: readonly string[], options?: RunOptions) => Promise<CliResult>;
  /** A directory holding a `secretrun` executable, for shell scripts that call it by name. */
  binDir: () => string;
}

// A root key as SECRETRUN_KEY takes it: base64 of 32 random bytes.
export function randomRootKey(): string {
  return randomBytes(32).toString('base64');
}

let snapshot: string | undefined;

// Other engineers rebuild dist/ in this working tree while tests run (the build removes it
// first), so the suite runs a private copy of bin/ and dist/ taken once, when it is whole.
// dist/cli.cjs bundles its dependencies, so the copy runs outside the repository.
function cliSnapshot(): string {
  if (snapshot !== undefined) return snapshot;
  const dist = join(root, 'dist');
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const entry = join(dist, 'cli.cjs');
    if (!existsSync(entry)) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      continue;
    }
    const before = statSync(entry).mtimeMs;
    const dir = mkdtempSync(join(tmpdir(), 'secretrun-e2e-cli-'));
    try {
      cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
      cpSync(dist, join(dir, 'dist'), { recursive: true });
      if (existsSync(entry) && statSync(entry).mtimeMs === before) {
        snapshot = dir;
        return dir;
      }
    } catch {
      // dist/ changed under us: try again.
    }
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('dist/cli.cjs is missing: run "npm run build" before the e2e tests');
}

afterAll(() => {
  if (snapshot !== undefined) rmSync(snapshot, { recursive: true, force: true });
  snapshot = undefined;
});

// The path of the CLI entry the tests run (`bin/secretrun.cjs` of the snapshot).
export function cliEntry(): string {
  return join(cliSnapshot(), 'bin', 'secretrun.cjs');
}

// Runs `node bin/secretrun.cjs ...args` with exactly `env` (nothing inherited) and never rejects.
export async function runCli(args: readonly string[], env: Readonly<Record<string, string>>, options: RunOptions = {}): Promise<CliResult> {
  const merged: Record<string, string> = { ...env };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  const result = await execa(process.execPath, [cliEntry(), ...args], {
    cwd: options.cwd ?? merged['HOME'] ?? root,
    env: merged,
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
}

// A sandbox with SECRETRUN_KEY set (unless `key: false`) in a fresh temp dir.
export function createSandbox(options: { key?: boolean } = {}): CliSandbox {
  const dir = makeTempDir('secretrun-e2e-');
  const configHome = join(dir, 'config');
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, XDG_CONFIG_HOME: configHome };
  if (options.key !== false) env['SECRETRUN_KEY'] = randomRootKey();
  let bin: string | undefined;
  return {
    dir,
    configHome,
    storePath: join(dir, '.secretrun', 'store.json'),
    env,
    run: (args, runOptions = {}) => runCli(args, env, { cwd: dir, ...runOptions }),
    binDir() {
      if (bin !== undefined) return bin;
      bin = join(dir, 'tools');
      mkdirSync(bin);
      writeFileSync(join(bin, 'secretrun'), `#!/bin/sh\nexec '${process.execPath}' '${cliEntry()}' "$@"\n`, { mode: 0o755 });
      return bin;
    },
  };
}

// Asserts a command's outcome in one line, showing stderr when the exit code is unexpected.
export function expectExit(result: CliResult, exitCode: number): CliResult {
  expect(result.exitCode, `exit code (stderr: ${result.stderr.trim()})`).toBe(exitCode);
  return result;
}

// Replaces RFC 3339 timestamps so tables can be compared whole.
export function maskTimes(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME');
}

// Fails if any of the secret values occurs in the text (stderr of failing commands, files).
// The failure names the value's position only, so a leak is not repeated in the test output.
export function expectNoSecrets(text: string, secrets: readonly string[], where = 'output'): void {
  const leaked = secrets.map((secret, index) => (text.includes(secret) ? index : -1)).filter((index) => index >= 0);
  expect(leaked, `secret values (by index) found in ${where}`).toEqual([]);
}
