import { isTidyNeeded, planTidy, tidyTokens } from '../auth/token-tidy.js';
import type { Store } from '../store/storage.js';
import { renderFailureLine } from './failure-line.js';

// The server's sweep of dead tokens: at start-up and then every few minutes, a read looks for
// expired or spent tokens and dangling index entries, and only when it finds some does one
// short transaction remove them (auth/token-tidy.ts). Dead tokens are refused when presented
// whatever this does; the sweep keeps the state file from filling with them, as Vault's
// expiration manager does.

// How often the server sweeps: often enough that the state file holds few dead tokens, seldom
// enough that listing every token costs nothing measurable.
const intervalMs = 5 * 60 * 1000;

export interface TokenTidyTimer {
  /** Stops sweeping and waits for a sweep under way. */
  stop(): Promise<void>;
}

// Starts sweeping `store`; a failed sweep is logged as one line and tried again next time.
export function startTokenTidy(options: { store: Store; now: () => number; logError: (line: string) => void }): TokenTidyTimer {
  const { store, now } = options;
  let running: Promise<unknown> = Promise.resolve();
  const sweep = (): void => {
    running = running
      .then(async () => {
        if (!isTidyNeeded(await store.read((storage) => planTidy(storage, now())))) return;
        await store.update((storage) => tidyTokens(storage, now()));
      })
      .catch((error: unknown) => options.logError(renderFailureLine('-', 'UPDATE', 'auth/token/tidy', error)));
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  // The sweep never keeps a stopping server alive.
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
