import { constants } from 'node:os';

// The signals the runner passes on to its child. Every catchable signal except:
// SIGCHLD (about the runner's own children), SIGTSTP/SIGTTIN/SIGTTOU (job control must stop
// the runner itself, and the terminal already signals the whole foreground group), SIGPIPE
// (Node raises it for the runner's own broken pipes), and the fault/profiler signals
// (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGPROF), where a JS handler is unsafe.
// (bin/secretrun.cjs listens to SIGUSR1 before anything else, so it never opens Node's inspector.)
export const forwardedSignals = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGTERM',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
  'SIGCONT',
  'SIGALRM',
] as const satisfies readonly NodeJS.Signals[];

export type ForwardedSignal = (typeof forwardedSignals)[number];

// Signals after which a runner without a child should end, as the child would have (SIGBREAK:
// Ctrl+Break on Windows).
export const terminatingSignals: readonly NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGBREAK'];

// The exit status a shell reports for a process killed by `signal`: 128 + its number.
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

// Delivers signals to the runner: the process's own from the entry point (cli/process-signals.ts),
// an emitter in tests.
export interface SignalSource {
  /** Calls `handler` for each of `signals` until the returned function is called. */
  subscribe(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void;
}
