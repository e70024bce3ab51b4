import type { Hook } from '../manifest/manifest.js';
import type { HookOutcome } from './hook-runner.js';
import { createMasker, hasMaskableValue } from './masker.js';
import { forwardOutput, joinForwardings } from './output-forwarding.js';
import { routeStream, type OutputPlan } from './output-plan.js';
import type { RunnerIo } from './runner-io.js';

export type { HookOutcome } from './hook-runner.js';

// How long a hook's output is read after it exited, when a process it left behind holds the
// pipes open (as for the command: see exitDrainMs in supervisor.ts).
const hookDrainMs = 200;

// One hook to run now: which, with what environment and secret values (masked in its output
// as in the command's), and what stops it.
export interface HookRun {
  readonly name: 'hooks.pre_start' | 'hooks.on_change';
  readonly hook: Hook;
  readonly env: Readonly<Record<string, string>>;
  readonly secretValues: readonly string[];
  readonly killTimeoutMs: number;
  readonly cancel: AbortSignal;
}

// Runs a hook to its end, its output going where the command's goes and masked as the
// command's is (`plan`). execa (hook-runner.ts) is loaded here, on a manifest's first hook.
export async function runHook(run: HookRun, io: RunnerIo, plan: OutputPlan): Promise<HookOutcome> {
  const { startHook } = await import('./hook-runner.js');
  const maskable = hasMaskableValue(run.secretValues);
  const stdout = routeStream(plan.stdout, io.stdout, maskable);
  const stderr = routeStream(plan.stderr, io.stderr, maskable);
  const started = startHook({ hook: run.hook, name: run.name, env: run.env, cwd: io.cwd, stdout: stdout.target, stderr: stderr.target, killTimeoutMs: run.killTimeoutMs, cancel: run.cancel });
  const masker = (mask: boolean) => (mask ? createMasker(run.secretValues) : undefined);
  const output = joinForwardings([
    forwardOutput(started.stdout, () => io.stdout.stream, masker(stdout.mask)),
    forwardOutput(started.stderr, () => io.stderr.stream, masker(stderr.mask)),
  ]);
  // execa settles once the pipes closed; a process the hook left running in the background
  // holds them open, so after the hook's exit they are read briefly and then cut.
  void started.exited.then(() => output.drain(hookDrainMs));
  const outcome = await started.done;
  await output.done;
  return outcome;
}
