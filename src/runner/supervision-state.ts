import type { Child } from './child.js';
import { signalExitCode, terminatingSignals } from './signals.js';

// Where a supervised run is. One value instead of a handful of flags, so that every signal,
// exit and change is handled for exactly the phases in which it can come:
// - starting: no command yet (before the first start, and between a restart's stop and start);
// - running: the command runs;
// - stopping: the runner is stopping the command, to restart it or to exit; signals still
//   reach it, and a terminating signal turns a restart into an exit (`terminated`);
// - draining: the command exited by itself with `code`; what it wrote last is still being
//   read, briefly, since a process it left behind may hold its output open indefinitely;
// - ended: the run is over with `code` (the last output may still be on its way out).
export type SupervisionState =
  | { readonly phase: 'starting' }
  | { readonly phase: 'running'; readonly child: Child }
  | { readonly phase: 'stopping'; readonly child: Child; readonly then: 'restart' | 'exit'; readonly terminated: boolean }
  | { readonly phase: 'draining'; readonly code: number }
  | { readonly phase: 'ended'; readonly code: number };

// What a signal to the runner does.
export type SignalAction =
  /** Pass it on to the command. */
  | { readonly kind: 'forward'; readonly child: Child }
  /** End the run with `code`, and stop reading output. */
  | { readonly kind: 'end'; readonly code: number }
  /** Stop reading the output of a command that has exited; the run ends as it would have. */
  | { readonly kind: 'cut' }
  | { readonly kind: 'ignore' };

// Decides what `signal` does in `state`, and the state after it. Pure.
export function decideSignal(state: SupervisionState, signal: NodeJS.Signals): { action: SignalAction; next: SupervisionState } {
  const terminating = terminatingSignals.includes(signal);
  switch (state.phase) {
    case 'running':
      return { action: { kind: 'forward', child: state.child }, next: state };
    case 'stopping':
      return { action: { kind: 'forward', child: state.child }, next: terminating ? { ...state, terminated: true } : state };
    case 'starting':
      // Nobody to forward to: end as the command would have.
      return { action: terminating ? { kind: 'end', code: signalExitCode(signal) } : { kind: 'ignore' }, next: state };
    case 'draining':
    case 'ended':
      return { action: terminating ? { kind: 'cut' } : { kind: 'ignore' }, next: state };
  }
}
