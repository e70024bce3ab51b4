import type { Hook, Manifest } from '../manifest/manifest.js';
import type { SecretSource } from '../source/source.js';
import { createChangeQueue, type ChangeQueue } from './change-queue.js';
import { resolveChange } from './change-resolution.js';
import { Child, type ChildExit } from './child.js';
import { githubMasksNowhere, renderGithubMasks } from './github-mask.js';
import { createMasker, hasMaskableValue } from './masker.js';
import { createOrphanGuard, type OrphanGuard } from './orphan-guard.js';
import { forwardOutput, joinForwardings, type Forwarding } from './output-forwarding.js';
import { planOutput, routeStream, type OutputPlan } from './output-plan.js';
import type { FileWatch } from './file-watch.js';
import { runHook } from './hooks.js';
import { configFiles, reloadManifest } from './manifest-reload.js';
import { renderPidOneWarning } from './pid-one.js';
import { resolveManifest, type ResolvedEnv } from './resolve-manifest.js';
import type { RunnerIo } from './runner-io.js';
import { canSendSignal, listenedSignals, signalToForward } from './platform-signals.js';
import { decideSignal, type SupervisionState } from './supervision-state.js';

// How long the runner reads on after its command exited, when a process the command left
// behind holds the output pipes open: long enough for what the command wrote last, short
// enough that the runner ends with its command.
export const exitDrainMs = 200;

// What to run, with what, from where, and the runner's connections to the world.
export interface SuperviseOptions {
  readonly manifest: Manifest;
  readonly source: SecretSource;
  readonly command: string;
  readonly args: readonly string[];
  readonly io: RunnerIo;
  /**
   * Reads the manifest again (with the run's flags on top) when its file or one of its dotenv
   * files changed while the command runs; without it those files are not watched.
   */
  readonly reloadManifest?: () => Promise<Manifest>;
}

// Runs a command under supervision: resolves secrets (throwing 'reference_unresolved' before
// anything starts), starts the command, forwards signals, restarts or signals it when secrets
// change, and resolves with the exit code the runner should exit with.
export async function superviseCommand(options: SuperviseOptions): Promise<number> {
  const { manifest, source, io } = options;
  // Whether resolving waited on I/O, so that the event loop is turning already (see run()).
  let loopTurning = false;
  const turn = setImmediate(() => (loopTurning = true));
  const initial = await resolveManifest(manifest, source, { env: io.env, platform: io.platform });
  clearImmediate(turn);
  const pidOne = renderPidOneWarning(io.pid, io.platform);
  if (pidOne !== undefined) io.stderr.stream.write(pidOne);
  const plan = planOutput(manifest, io, io.env);
  const masksTo = plan.githubMasks;
  if (masksTo === 'stdout' || masksTo === 'stderr') io[masksTo].stream.write(renderGithubMasks(initial.secretValues));
  else if (masksTo === 'nowhere') io.stderr.stream.write(githubMasksNowhere);
  return new Supervision(options, plan).run(initial, loopTurning);
}

// One supervised run: it decides when to start, signal, stop and end; the Child knows how.
// A class because it is a lifecycle.
class Supervision {
  #state: SupervisionState = { phase: 'starting' };
  /** The manifest in force: the last valid one read. */
  #manifest: Manifest;
  #plan: OutputPlan;
  /** Set when a configuration file changed, so the next change run reads the manifest again. */
  #configChanged = false;
  #configWatch: FileWatch | undefined;
  /** Stops a hook that is running when the run ends. */
  readonly #hooks = new AbortController();
  /** What the command runs with now (changes are compared against it). */
  #current: ResolvedEnv | undefined;
  /** The copying of the current (or last) command's output. */
  #output: Forwarding = joinForwardings([]);
  #finish: (code: number) => void = () => undefined;
  /** Why the source is unavailable, while it is: said once per outage. */
  #outage: string | undefined;
  readonly #changes: ChangeQueue;
  readonly #guard: OrphanGuard;
  #stopWatching: (() => Promise<void>) | undefined;
  #unsubscribe: () => void = () => undefined;

  constructor(
    readonly options: SuperviseOptions,
    plan: OutputPlan,
  ) {
    this.#manifest = options.manifest;
    this.#plan = plan;
    this.#changes = createChangeQueue(() => this.#manifest.debounceMs, () => this.#applyChange());
    this.#guard = createOrphanGuard(options.io, { signal: options.manifest.stopSignal, killTimeoutMs: options.manifest.killTimeoutMs });
  }

  #log(line: string): void {
    this.options.io.stderr.stream.write(`secretrun: ${line}\n`);
  }

  async run(initial: ResolvedEnv, loopTurning: boolean): Promise<number> {
    const result = new Promise<number>((resolve) => {
      this.#finish = resolve;
    });
    // Subscribed before the child starts, so no signal falls between start and forwarding.
    this.#unsubscribe = this.options.io.signals.subscribe(listenedSignals(this.options.io.platform), (signal) => this.#onSignal(signal));
    // Node hands a signal to its listeners on a later turn of the event loop. When the loop is
    // turning already (resolving waited on a server), one more turn costs nothing and lets a
    // signal that came before the command existed be handled as such (SIGUSR1 ignored, SIGTERM
    // ending the run) instead of reaching a command that has not set up its own handlers yet.
    // A start-up that never waited (the local store: the hot path) has not started the loop,
    // and starting it first delayed the command by 1-2 ms, so a signal in those few
    // milliseconds may reach the command (docs/runner.md).
    if (loopTurning) await new Promise((resolve) => setImmediate(resolve));
    if (this.#ended) {
      this.#unsubscribe();
      return result;
    }
    // Without a pre_start hook the command starts here, before this turn ends.
    await this.#launch(initial);
    const { source } = this.options;
    if (!this.#manifest.once && !this.#ended && source.watch) {
      try {
        const stop = await source.watch(
          () => this.#changes.notify(),
          (reason) => this.#onSourceError(`source unavailable (${reason})`),
        );
        if (this.#ended) await stop();
        else this.#stopWatching = stop;
      } catch (error) {
        this.#log(`cannot watch for changes (${(error as Error).message}); running without restarts`);
      }
    }
    if (!this.#manifest.once && !this.#ended) await this.#watchConfig();
    const code = await result;
    await this.#stopWatching?.();
    await this.#configWatch?.close();
    await this.#output.done;
    this.#guard.close();
    this.#unsubscribe();
    return code;
  }

  // Starts the command with `resolved`, after hooks.pre_start when the manifest has one: a
  // failing hook ends the run with its exit code. Without a hook the command starts at once.
  async #launch(resolved: ResolvedEnv): Promise<void> {
    const hook = this.#manifest.hooks.preStart;
    if (hook !== undefined) {
      const outcome = await this.#runHook('hooks.pre_start', hook, resolved, {});
      // A terminating signal during the hook ended the run.
      if (this.#state.phase !== 'starting') return;
      if (!outcome.ok) {
        this.#log(outcome.problem);
        return this.#end(outcome.exitCode);
      }
    }
    this.#start(resolved);
  }

  #runHook(name: 'hooks.pre_start' | 'hooks.on_change', hook: Hook, resolved: ResolvedEnv, extraEnv: Record<string, string>) {
    const run = { name, hook, env: { ...resolved.env, ...extraEnv }, secretValues: resolved.secretValues, killTimeoutMs: this.#manifest.killTimeoutMs, cancel: this.#hooks.signal };
    return runHook(run, this.options.io, this.#plan);
  }

  // Watches the manifest and its dotenv files once the command runs (chokidar is loaded then,
  // never on start-up). A change is applied as a secret change is, after the manifest was
  // read again and found valid.
  async #watchConfig(): Promise<void> {
    const { reloadManifest: reload, io } = this.options;
    const files = configFiles(this.#manifest, io.cwd);
    if (reload === undefined || files.length === 0) return;
    const onChange = (): void => {
      this.#configChanged = true;
      this.#changes.notify();
    };
    try {
      const { startFileWatch } = await import('./file-watch.js');
      const watch = await startFileWatch(files, onChange, (reason) => this.#log(`cannot watch the manifest (${reason})`));
      if (this.#ended) await watch.close();
      else this.#configWatch = watch;
    } catch (error) {
      this.#log(`cannot watch the manifest (${(error as Error).message}); its changes apply from the next start`);
    }
  }

  // Reads the manifest again after one of its files changed. An invalid manifest is reported
  // and the run goes on with the last valid one.
  async #reloadConfig(read: () => Promise<Manifest>): Promise<void> {
    const { io } = this.options;
    const file = this.#manifest.file ?? 'the manifest';
    const reload = await reloadManifest(this.#manifest, read);
    if (reload.kind === 'same') return;
    if (reload.kind === 'invalid') {
      this.#log(`${file} changed but is not valid; keeping the last valid manifest:\n  ${reload.problem.split('\n').join('\n  ')}`);
      return;
    }
    this.#manifest = reload.manifest;
    this.#plan = planOutput(reload.manifest, io, io.env);
    this.#configWatch?.set(configFiles(reload.manifest, io.cwd));
    this.#log(`${file} changed`);
    for (const note of reload.notes) this.#log(note);
  }

  #start(resolved: ResolvedEnv): void {
    const { command, args, io } = this.options;
    const manifest = this.#manifest;
    const maskable = hasMaskableValue(resolved.secretValues);
    const stdout = routeStream(this.#plan.stdout, io.stdout, maskable);
    const stderr = routeStream(this.#plan.stderr, io.stderr, maskable);
    const child = new Child(
      { command, args, env: resolved.env, shell: manifest.shell, cwd: io.cwd, stdout: stdout.target, stderr: stderr.target, stdin: io.stdin },
      io,
    );
    // After the spawn: the maskers and our own streams are set up while the command starts.
    const masker = (mask: boolean) => (mask ? createMasker(resolved.secretValues) : undefined);
    const output = joinForwardings([
      forwardOutput(child.stdout, () => io.stdout.stream, masker(stdout.mask)),
      forwardOutput(child.stderr, () => io.stderr.stream, masker(stderr.mask)),
    ]);
    this.#output = output;
    this.#state = { phase: 'running', child };
    this.#current = resolved;
    this.#guard.watch(child.pid);
    void child.exited.then((exit) => {
      this.#guard.watch(undefined);
      output.drain(exitDrainMs);
      this.#onExit(child, exit, output);
    });
  }

  #onExit(child: Child, exit: ChildExit, output: Forwarding): void {
    if (exit.spawnError !== undefined) this.#log(`cannot start command: ${exit.spawnError}`);
    // A child being stopped (restart, exit) is handled where it was stopped.
    if (this.#state.phase !== 'running' || this.#state.child !== child) return;
    this.#state = { phase: 'draining', code: exit.exitCode };
    void output.done.then(() => this.#end(exit.exitCode));
  }

  get #ended(): boolean {
    return this.#state.phase === 'ended';
  }

  // Ends the run with `code`. Signals are still handled until run() returns, so that a
  // terminating one can cut output that is still draining.
  #end(code: number): void {
    if (this.#ended) return;
    this.#state = { phase: 'ended', code };
    this.#changes.close();
    this.#hooks.abort();
    this.#finish(code);
  }

  #onSignal(signal: NodeJS.Signals): void {
    const { action, next } = decideSignal(this.#state, signal);
    this.#state = next;
    switch (action.kind) {
      case 'forward': {
        const forwarded = signalToForward(this.options.io.platform, signal);
        if (forwarded !== undefined) action.child.signal(forwarded);
        return;
      }
      case 'end':
        this.#output.cut();
        this.#end(action.code);
        return;
      case 'cut':
        this.#output.cut();
        return;
      case 'ignore':
        return;
    }
  }

  // Stops the running child, still forwarding signals to it. Resolves with its exit, whether
  // it was still there to stop, and whether a terminating signal came meanwhile.
  async #stop(child: Child, then: 'restart' | 'exit'): Promise<{ exit: ChildExit; stopped: boolean; terminated: boolean }> {
    const { io } = this.options;
    const manifest = this.#manifest;
    this.#state = { phase: 'stopping', child, then, terminated: false };
    const splay = then === 'restart' && manifest.splayMs > 0 ? { maxMs: manifest.splayMs, random: io.random } : undefined;
    const { exit, stopped } = await child.stop({ signal: manifest.stopSignal, killTimeoutMs: manifest.killTimeoutMs, ...(splay ? { splay } : {}) });
    const state = this.#state;
    const terminated = state.phase === 'stopping' && state.terminated;
    if (state.phase === 'stopping') this.#state = { phase: 'starting' };
    return { exit, stopped, terminated };
  }

  // Says once per outage that the child keeps its last-known values; `problem` names no value.
  #onSourceError(problem: string): void {
    if (this.#outage !== undefined) return;
    this.#outage = problem;
    this.#log(`${problem}; keeping the command running on last-known values`);
  }

  async #applyChange(): Promise<void> {
    const { source, io, reloadManifest: reload } = this.options;
    if (this.#current === undefined) return;
    if (this.#configChanged && reload !== undefined) {
      this.#configChanged = false;
      await this.#reloadConfig(reload);
    }
    const change = await resolveChange(this.#manifest, source, { env: io.env, platform: io.platform }, this.#current);
    if (change.kind === 'unavailable') return this.#onSourceError(change.reason);
    if (this.#outage !== undefined) {
      this.#outage = undefined;
      this.#log('source available again');
    }
    if (change.kind === 'unresolved') this.#log(`cannot apply change, keeping last-known values:\n  ${change.problems.join('\n  ')}`);
    // Only a running command reacts: one that has exited is on its way out with its own code.
    else if (change.kind === 'changed' && this.#state.phase === 'running') {
      const child = this.#state.child;
      if (!(await this.#onChangeHook(change.names, change.next))) return;
      const state = this.#state;
      if (state.phase === 'running' && state.child === child) await this.#react(child, change.names.join(', '), change.next);
    }
  }

  // Runs hooks.on_change, with the new environment and SECRETRUN_CHANGED naming the variables
  // that changed, before on_change acts. False when it failed: the change is then not applied,
  // and the next notice of a change tries again.
  async #onChangeHook(names: readonly string[], next: ResolvedEnv): Promise<boolean> {
    const hook = this.#manifest.hooks.onChange;
    if (hook === undefined) return true;
    const outcome = await this.#runHook('hooks.on_change', hook, next, { SECRETRUN_CHANGED: names.join(',') });
    if (!outcome.ok && !this.#ended) this.#log(`${outcome.problem}; the change is not applied, the command keeps its last values`);
    return outcome.ok;
  }

  // Applies on_change to the running `child` for a change of the variables `names`.
  async #react(child: Child, names: string, next: ResolvedEnv): Promise<void> {
    const manifest = this.#manifest;
    switch (manifest.onChange) {
      case 'none':
        this.#log(`${names} changed (on_change: none)`);
        this.#current = next;
        return;
      case 'signal':
        this.#current = next;
        if (!canSendSignal(this.options.io.platform, manifest.reloadSignal)) {
          this.#log(`${names} changed, but ${manifest.reloadSignal} cannot be sent on this platform (on_change: signal needs POSIX signals; use restart)`);
          return;
        }
        this.#log(`${names} changed, sending ${manifest.reloadSignal}`);
        child.signal(manifest.reloadSignal);
        return;
      case 'exit': {
        this.#log(`${names} changed, exiting`);
        const { exit } = await this.#stop(child, 'exit');
        this.#end(exit.exitCode);
        return;
      }
      case 'restart': {
        this.#log(`${names} changed, restarting`);
        const { exit, stopped, terminated } = await this.#stop(child, 'restart');
        // A command that ended by itself during the splay ends the run, as it would have without one.
        if (!stopped) return this.#end(exit.exitCode);
        await this.#output.done;
        if (terminated) this.#end(exit.exitCode);
        else if (this.#state.phase === 'starting') await this.#launch(next);
        return;
      }
    }
  }
}
