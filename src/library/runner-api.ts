import type { Readable, Writable } from 'node:stream';
import { processChildIo } from '../process/child-io.js';
import { processSignals } from '../process/signals.js';
import type { Manifest } from '../manifest/manifest.js';
import { checkManifest as checkWith, type CheckReport } from '../runner/check-report.js';
import { resolveManifest as resolveWith, type ResolvedEnv } from '../runner/resolve-manifest.js';
import type { RunnerIo, RunOutput } from '../runner/runner-io.js';
import type { SignalSource } from '../runner/signals.js';
import { superviseCommand } from '../runner/supervisor.js';
import type { SecretSource } from '../source/source.js';
import { followLeasesOption, linkLocalApi } from './dynamic-source-link.js';

// The runner for Node programs: the runner's functions with the calling process's environment,
// streams and signals as defaults, as a program that imports secretrun expects. The runner
// itself never reaches for the process; this is one of its two entry points (the CLI's
// process-io is the other). A local source reads references to database mounts through the
// API in-process, as the CLI's runner does (dynamic-source-link.ts).

// The connections of a run a caller may replace; every one defaults to the process's own.
export interface RunIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Fed to the child; undefined inherits the process's stdin. */
  readonly stdin: Readable | undefined;
  /** Whether stdout is a terminal, which turns masking off in `mask: auto`. Default: asked of
   * the process's stdout; a stream passed in is not a terminal. */
  readonly stdoutIsTTY: boolean;
  /** The inherited environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signals: SignalSource;
  readonly cwd: string;
  /** In [0, 1), for splay. */
  readonly random: () => number;
}

// What to run, with what, from where.
export interface RunOptions {
  readonly manifest: Manifest;
  readonly source: SecretSource;
  readonly command: string;
  readonly args: readonly string[];
  readonly io?: Partial<RunIo>;
  /**
   * Reads the manifest again, e.g. `() => readManifest('secretrun.yaml')`. Given, the manifest
   * file and its dotenv files are watched while the command runs, and an edit is applied as a
   * secret change is; an invalid edit is reported and the last valid manifest kept.
   */
  readonly reloadManifest?: () => Promise<Manifest>;
}

// Options for resolving: the inherited environment (default process.env).
export interface ResolveOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

// Options for checking: also read dynamic secrets (`secretrun check -dynamic`); default false.
export interface CheckOptions extends ResolveOptions {
  readonly dynamic?: boolean;
}

// One output of a run: the process's own, or a caller's stream (which a child cannot write to
// directly, so it is copied).
function outputOf(own: RunOutput, given: Writable | undefined, isTerminal: boolean | undefined): RunOutput {
  const kind = isTerminal === undefined ? (given === undefined ? own.kind : 'other') : isTerminal ? 'terminal' : 'other';
  return {
    get stream() {
      return given ?? own.stream;
    },
    kind,
    fd: given === undefined || given === own.stream ? own.fd : undefined,
  };
}

// Runs a command under supervision (see superviseCommand) and resolves with the exit code.
export async function runSupervised(options: RunOptions): Promise<number> {
  const given = options.io ?? {};
  const own = processChildIo();
  const io: RunnerIo = {
    stdout: given.stdout === undefined && given.stdoutIsTTY === undefined ? own.stdout : outputOf(own.stdout, given.stdout, given.stdoutIsTTY),
    stderr: given.stderr === undefined ? own.stderr : outputOf(own.stderr, given.stderr, undefined),
    stdin: given.stdin ?? own.stdin,
    spawn: own.spawn,
    platform: own.platform,
    pid: own.pid,
    env: given.env ?? process.env,
    cwd: given.cwd ?? process.cwd(),
    signals: given.signals ?? processSignals,
    random: given.random ?? Math.random,
  };
  const { command, args, reloadManifest } = options;
  // Dynamic secrets as the CLI's runner keeps them: the manifest's `leases:` applies (also
  // after a reload), problems keeping them fresh are said on stderr. The caller closes the
  // source, which revokes the leases it holds (unless kept).
  const source = linkLocalApi(options.source, io.env);
  if (source.dynamic) source.dynamic.report = (line) => io.stderr.stream.write(`secretrun: ${line}\n`);
  const manifest = followLeasesOption(source, options.manifest);
  const reload = reloadManifest === undefined ? {} : { reloadManifest: async () => followLeasesOption(source, await reloadManifest()) };
  return superviseCommand({ manifest, source, command, args, io, ...reload });
}

// Resolves a manifest into the child's environment, or throws 'reference_unresolved' listing
// every problem.
export function resolveManifest(manifest: Manifest, source: SecretSource, options: ResolveOptions = {}): Promise<ResolvedEnv> {
  const env = options.env ?? process.env;
  return resolveWith(manifest, linkLocalApi(source, env), { env });
}

// Resolves a manifest without running anything and reports every variable and problem. As
// `secretrun check`, it reads no dynamic secret (that would create a database user) unless
// `options.dynamic` asks it to: those are listed as not read.
export async function checkManifest(manifest: Manifest, source: SecretSource, options: CheckOptions = {}): Promise<CheckReport> {
  const env = options.env ?? process.env;
  const control = linkLocalApi(source, env).dynamic;
  if (control === undefined) return checkWith(manifest, source, { env });
  const before = control.read;
  control.read = options.dynamic === true;
  try {
    return await checkWith(manifest, source, { env });
  } finally {
    control.read = before;
  }
}
