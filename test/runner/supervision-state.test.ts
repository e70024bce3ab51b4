import { describe, expect, it } from 'vitest';
import type { Child } from '../../src/runner/child.js';
import { decideSignal, type SupervisionState } from '../../src/runner/supervision-state.js';

// decideSignal only compares and returns the child; any object stands for one.
const child = { pid: 1 } as unknown as Child;

describe('decideSignal', () => {
  it('passes every signal on to a running command, and to one being stopped', () => {
    const running: SupervisionState = { phase: 'running', child };
    expect(decideSignal(running, 'SIGUSR1')).toEqual({ action: { kind: 'forward', child }, next: running });
    const stopping: SupervisionState = { phase: 'stopping', child, then: 'restart', terminated: false };
    expect(decideSignal(stopping, 'SIGHUP').next).toEqual({ ...stopping, terminated: true });
    expect(decideSignal(stopping, 'SIGWINCH')).toEqual({ action: { kind: 'forward', child }, next: stopping });
  });

  it('ends the run on a terminating signal before there is a command, and ignores others', () => {
    expect(decideSignal({ phase: 'starting' }, 'SIGINT').action).toEqual({ kind: 'end', code: 130 });
    expect(decideSignal({ phase: 'starting' }, 'SIGUSR1').action).toEqual({ kind: 'ignore' });
  });

  it('stops reading output on a terminating signal once the command has exited', () => {
    expect(decideSignal({ phase: 'draining', code: 3 }, 'SIGTERM').action).toEqual({ kind: 'cut' });
    expect(decideSignal({ phase: 'ended', code: 3 }, 'SIGQUIT').action).toEqual({ kind: 'cut' });
    expect(decideSignal({ phase: 'draining', code: 3 }, 'SIGUSR2').action).toEqual({ kind: 'ignore' });
  });
});
