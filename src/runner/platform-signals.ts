import { forwardedSignals } from './signals.js';

// Signals by platform, as Node maps them. On POSIX the runner listens to the signals in
// signals.ts and passes each on as it is. Windows has no signals between processes: Node
// emits SIGINT and SIGBREAK for Ctrl+C and Ctrl+Break, SIGHUP when the console window closes and
// SIGWINCH when it is resized; a child in the same console gets each of those console events
// itself, so passing them on would only kill it (below). The runner still listens to them, so
// that it waits for its command instead of dying first and leaving it unsupervised. For the
// other direction Node's `kill` terminates the child outright (TerminateProcess) for SIGTERM,
// SIGINT, SIGQUIT and SIGKILL, and fails (ENOSYS) for any other signal.

// The signals the runner listens to on `platform`.
export function listenedSignals(platform: NodeJS.Platform): readonly NodeJS.Signals[] {
  return platform === 'win32' ? ['SIGINT', 'SIGBREAK', 'SIGHUP', 'SIGTERM'] : forwardedSignals;
}

// Signals Node can send a process on Windows; each of them terminates it.
const windowsKillSignals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGKILL'];

// What to pass on to the command when the runner receives `signal`, or undefined for nothing.
export function signalToForward(platform: NodeJS.Platform, signal: NodeJS.Signals): NodeJS.Signals | undefined {
  if (platform !== 'win32') return signal;
  // Console events already reached the command; SIGTERM (only ever sent by another Node
  // process) ends it, as it would have ended a POSIX command.
  return signal === 'SIGTERM' ? 'SIGTERM' : undefined;
}

// Whether `signal` can be sent to a process on `platform` (stop_signal, reload_signal). On
// Windows only those that terminate it; `on_change: signal` cannot reload a Windows command.
export function canSendSignal(platform: NodeJS.Platform, signal: NodeJS.Signals): boolean {
  return platform !== 'win32' || windowsKillSignals.includes(signal);
}
