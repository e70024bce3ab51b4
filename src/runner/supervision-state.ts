import type { Child } from './child.js';
import { signalExitCode, terminatingSignals } from './signals.js';

// Where a supervised run is. One value instead of a handful of flags, so that every signal,
// exit and change is handled for exactly the phases in which it can come:
// - starting: no command yet (before the first start, and between a restart's stop and start);
// - running: the command runs;
// - stopping: the runner is stopping the command, to restart it or to exit; signals still
//   reach it, and a terminating signal turns a restart into an exit (`terminated`);
// - ended: the run is over with `code`.
export type SupervisionState =
  | { readonly phase: 'starting' }
  | { readonly phase: 'running'; readonly child: Child }
  | { readonly phase: 'stopping'; readonly child: Child; readonly then: 'restart' | 'exit'; readonly terminated: boolean }
  | { readonly phase: 'ended'; readonly code: number };

// What a signal to the runner does: pass it on to a child, end the run, and the next state.
export interface SignalOutcome {
  readonly forwardTo: Child | undefined;
  readonly next: SupervisionState;
  /** End the run with this code. */
  readonly end: number | undefined;
}

// Decides what `signal` does in `state`. Pure.
export function decideSignal(state: SupervisionState, signal: NodeJS.Signals): SignalOutcome {
  const terminating = terminatingSignals.includes(signal);
  switch (state.phase) {
    case 'running':
      return { forwardTo: state.child, next: state, end: undefined };
    case 'stopping':
      return { forwardTo: state.child, next: terminating ? { ...state, terminated: true } : state, end: undefined };
    case 'starting':
      // Nobody to forward to: end as the command would have.
      return terminating ? { forwardTo: undefined, next: { phase: 'ended', code: signalExitCode(signal) }, end: signalExitCode(signal) } : { forwardTo: undefined, next: state, end: undefined };
    case 'ended':
      return { forwardTo: undefined, next: state, end: undefined };
  }
}
