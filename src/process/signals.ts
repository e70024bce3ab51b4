import type { SignalSource } from '../runner/signals.js';

// The signals sent to this process, for commands that outlive a moment (run forwards them to
// its command). Listeners are removed again on unsubscribe; SIGUSR1 stays handled all the same,
// by the listener bin/secretrun.cjs installs first so that it never opens Node's inspector.
export const processSignals: SignalSource = {
  subscribe(signals, handler) {
    const listeners = signals.map((signal) => {
      const listener = (): void => handler(signal);
      process.on(signal, listener);
      return [signal, listener] as const;
    });
    return () => {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    };
  },
};
