import { fstatSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { Manifest } from '../manifest/manifest.js';
import type { SecretSource } from '../source/source.js';
import { diffEnvironments } from './build-env.js';
import { Child } from './child-process.js';
import type { ChildExit } from './child-process.js';
import { renderGithubMasks } from './github-mask.js';
import { createMasker } from './masker.js';
import { resolveManifest, tryResolveManifest } from './resolve-manifest.js';
import type { ResolvedEnv } from './resolve-manifest.js';
import { formatResolveProblem } from './resolve-secrets.js';
import { forwardedSignals, processSignals, signalExitCode, terminatingSignals } from './signals.js';
import type { SignalSource } from './signals.js';

// The runner's connections to the world; tests pass their own streams, env and signals.
export interface RunIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Fed to the child; undefined inherits the runner's stdin. */
  readonly stdin: Readable | undefined;
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
}

// The runner process's own connections. The standard streams are read on first use: creating
// process.stdout costs about a millisecond (a socket for a pipe), so it happens after the
// command started, or never when the command writes to the terminal directly. Whether stdout
// is a terminal is asked of the file descriptor, as process.stdout itself does.
// Whether a descriptor is a terminal. A terminal is always a character device, so a pipe or a
// file (CI, containers, the benches) is answered by one fstat without loading node:tty and the
// stream modules it pulls in (~2 ms of the runner's start-up).
function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

function processIo(): RunIo {
  return {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    stdin: undefined,
    get stdoutIsTTY() {
      return isTerminal(1);
    },
    env: process.env,
    signals: processSignals,
    cwd: process.cwd(),
    random: Math.random,
  };
}

// The runner's io: the process's own, with what the caller gave on top. Descriptors are copied
// rather than spread, so the process's streams stay unread until used.
function runIo(given: Partial<RunIo> = {}): RunIo {
  return Object.defineProperties(processIo(), Object.getOwnPropertyDescriptors(given));
}

// Is this stream of the run the process's own? Then the child may write to the fd directly.
function isOwn(given: Partial<RunIo> | undefined, name: 'stdout' | 'stderr'): boolean {
  const stream = given?.[name];
  return stream === undefined || stream === process[name];
}

// Should the child's output be masked under this manifest and terminal?
export function shouldMask(manifest: Manifest, stdoutIsTTY: boolean): boolean {
  return manifest.mask === 'on' || (manifest.mask === 'auto' && !stdoutIsTTY);
}

// Runs a command under supervision: resolves secrets (throwing 'reference_unresolved' before
// anything starts), starts the command, forwards signals, restarts or signals it when secrets
// change, and resolves with the exit code the runner should exit with.
export async function runSupervised(options: RunOptions): Promise<number> {
  const io = runIo(options.io);
  const { manifest, source } = options;
  const initial = await resolveManifest(manifest, source, { env: io.env });
  const masking = shouldMask(manifest, io.stdoutIsTTY);
  if (manifest.githubMask && io.env['GITHUB_ACTIONS'] === 'true') io.stdout.write(renderGithubMasks(initial.secretValues));
  const inherit = { stdout: !masking && isOwn(options.io, 'stdout'), stderr: !masking && isOwn(options.io, 'stderr') };
  return new Supervision(options, io, masking, inherit).run(initial);
}

// One supervised run. A class because it is a lifecycle: start, watch, restart, finish.
class Supervision {
  #child: Child | undefined;
  /** A child being stopped (restart, exit): it still gets forwarded signals. */
  #stopping: Child | undefined;
  /** A terminating signal arrived while restarting: end instead of starting again. */
  #terminate = false;
  #drained: Promise<unknown> = Promise.resolve();
  #current: ResolvedEnv | undefined;
  #done = false;
  #finish: (code: number) => void = () => undefined;
  #debounce: NodeJS.Timeout | undefined;
  #resolving = false;
  #pending = false;
  #outage: string | undefined;
  #stopWatching: (() => Promise<void>) | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(
    readonly options: RunOptions,
    readonly io: RunIo,
    readonly masking: boolean,
    /** Whether the child writes straight to the runner's own stdout / stderr. */
    readonly inherit: { readonly stdout: boolean; readonly stderr: boolean },
  ) {}

  #log(line: string): void {
    this.io.stderr.write(`secretrun: ${line}\n`);
  }

  async run(initial: ResolvedEnv): Promise<number> {
    const result = new Promise<number>((resolve) => {
      this.#finish = resolve;
    });
    // Subscribed before the child starts, so no signal falls between start and forwarding.
    this.#unsubscribe = this.io.signals.subscribe(forwardedSignals, (signal) => this.#onSignal(signal));
    this.#start(initial);
    const { manifest, source } = this.options;
    if (!manifest.once && source.watch) {
      try {
        const stop = await source.watch(() => this.#onChange(), (reason) => this.#onSourceError(`source unavailable (${reason})`));
        if (this.#done) await stop();
        else this.#stopWatching = stop;
      } catch (error) {
        this.#log(`cannot watch for changes (${(error as Error).message}); running without restarts`);
      }
    }
    const code = await result;
    await this.#stopWatching?.();
    await this.#drained;
    return code;
  }

  #start(resolved: ResolvedEnv): void {
    const { manifest, command, args } = this.options;
    const child = new Child({
      command,
      args,
      env: resolved.env,
      shell: manifest.shell,
      cwd: this.io.cwd,
      stdout: this.inherit.stdout ? 'inherit' : 'pipe',
      stderr: this.inherit.stderr ? 'inherit' : 'pipe',
      stdin: this.io.stdin ?? 'inherit',
    });
    // After the spawn: the mask and our own streams are set up while the command starts.
    const pipes = [this.#forward(child.stdout, () => this.io.stdout, resolved), this.#forward(child.stderr, () => this.io.stderr, resolved)];
    this.#drained = Promise.all(pipes);
    this.#child = child;
    this.#current = resolved;
    void child.exited.then((exit) => this.#onExit(child, exit));
  }

  // Copies one child stream to ours, through a masker when masking; resolves once the child's
  // side has closed and our stream has taken every byte (so a caller's slow stream holds the
  // whole output when the run resolves). Plain 'data' events rather than stream.pipe():
  // pipe() compares its destination with process.stdout and process.stderr, which creates
  // both (a socket each for a pipe), while our own streams are opened on the child's first byte
  // only, so a quiet command (a CI step, `true`) does not pay for its stdout. (Node's own
  // teardown of the child's pipes still creates process.stderr.)
  #forward(from: Readable | null, to: () => Writable, resolved: ResolvedEnv): Promise<void> {
    if (!from) return Promise.resolve();
    const masker = this.masking ? createMasker(resolved.secretValues) : undefined;
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

  #onExit(child: Child, exit: ChildExit): void {
    if (exit.spawnError !== undefined) this.#log(`cannot start command: ${exit.spawnError}`);
    // A child we stopped on purpose (restart, exit) is handled where it was stopped.
    if (child !== this.#child) return;
    this.#child = undefined;
    this.#end(exit.exitCode);
  }

  #end(code: number): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#debounce);
    this.#unsubscribe?.();
    this.#finish(code);
  }

  #onSignal(signal: NodeJS.Signals): void {
    const terminating = terminatingSignals.includes(signal);
    if (this.#child) this.#child.signal(signal);
    else if (this.#stopping) {
      this.#stopping.signal(signal);
      if (terminating) this.#terminate = true;
    }
    // Between a stop and the next start there is nobody to forward to: end as the child would.
    else if (terminating) this.#end(signalExitCode(signal));
  }

  // Stops a child while still forwarding signals to it.
  async #stopChild(child: Child): Promise<ChildExit> {
    this.#stopping = child;
    try {
      return await child.stop(this.options.manifest.stopSignal, this.options.manifest.killTimeoutMs);
    } finally {
      this.#stopping = undefined;
    }
  }

  #onChange(): void {
    if (this.#done) return;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.#reresolve(), this.options.manifest.debounceMs);
  }

  // Says once per outage that the child keeps its last-known values; `problem` names no value.
  #onSourceError(problem: string): void {
    if (this.#outage !== undefined) return;
    this.#outage = problem;
    this.#log(`${problem}; keeping the command running on last-known values`);
  }

  async #reresolve(): Promise<void> {
    if (this.#resolving) {
      this.#pending = true;
      return;
    }
    this.#resolving = true;
    try {
      await this.#applyChange();
    } finally {
      this.#resolving = false;
      if (this.#pending && !this.#done) {
        this.#pending = false;
        void this.#reresolve();
      }
    }
  }

  async #applyChange(): Promise<void> {
    const { manifest, source } = this.options;
    let next: ResolvedEnv;
    try {
      next = await tryResolveManifest(manifest, source, { env: this.io.env });
    } catch (error) {
      this.#onSourceError(`source unavailable (${(error as Error).message})`);
      return;
    }
    const unavailable = next.problems.find((problem) => problem.kind === 'unavailable');
    if (unavailable) {
      this.#onSourceError(unavailable.reason);
      return;
    }
    if (this.#outage !== undefined) {
      this.#outage = undefined;
      this.#log('source available again');
    }
    if (next.problems.length > 0) {
      this.#log(`cannot apply change, keeping last-known values:\n  ${next.problems.map(formatResolveProblem).join('\n  ')}`);
      return;
    }
    const current = this.#current;
    const changed = current ? diffEnvironments(current.env, next.env) : [];
    if (this.#done || changed.length === 0) return;
    await this.#react(changed, next);
  }

  async #react(changed: readonly string[], next: ResolvedEnv): Promise<void> {
    const { manifest } = this.options;
    const names = changed.join(', ');
    switch (manifest.onChange) {
      case 'none':
        this.#log(`${names} changed (on_change: none)`);
        this.#current = next;
        return;
      case 'signal':
        this.#log(`${names} changed, sending ${manifest.reloadSignal}`);
        this.#current = next;
        this.#child?.signal(manifest.reloadSignal);
        return;
      case 'exit': {
        this.#log(`${names} changed, exiting`);
        const child = this.#child;
        this.#child = undefined;
        const exit = child ? await this.#stopChild(child) : undefined;
        this.#end(exit?.exitCode ?? 0);
        return;
      }
      case 'restart': {
        this.#log(`${names} changed, restarting`);
        if (manifest.splayMs > 0) await delay(Math.floor(this.io.random() * manifest.splayMs));
        const child = this.#child;
        if (this.#done || !child) return;
        this.#child = undefined;
        const exit = await this.#stopChild(child);
        await this.#drained;
        if (this.#terminate) this.#end(exit.exitCode);
        else if (!this.#done) this.#start(next);
        return;
      }
    }
  }
}
