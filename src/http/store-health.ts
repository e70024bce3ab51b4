import { SecretrunError } from '../errors.js';
import type { Store } from '../store/storage.js';
import type { StoreCondition } from './routes/sys-health.js';

// Whether the store can serve a request now, for `sys/health`: the probe is a read, which
// re-reads the file when it changed on disk and checks its key and MAC as any request would.
// A read that fails, or takes longer than the probe's timeout, makes the store "not usable";
// health then answers at once either way instead of failing or hanging with the store.

// The probe of one store.
export interface StoreHealth {
  check(): Promise<StoreCondition>;
}

// How a probe behaves.
export interface StoreHealthOptions {
  /** How long a probe may take before the store counts as not usable; default 5 s. */
  timeoutMs?: number;
  /** Told about a failure when it differs from the last one reported (a health poller would repeat it). */
  onFailure?: (error: unknown) => void;
}

// Creates the probe of `store`. Concurrent checks share one probe.
export function createStoreHealth(store: Store, options: StoreHealthOptions = {}): StoreHealth {
  const timeoutMs = options.timeoutMs ?? 5000;
  let inFlight: Promise<StoreCondition> | undefined;
  let lastReported: string | undefined;

  const report = (error: unknown): void => {
    const text = error instanceof Error ? `${error.name}:${error.message}` : String(error);
    if (text === lastReported) return;
    lastReported = text;
    options.onFailure?.(error);
  };

  const probe = async (): Promise<StoreCondition> => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([store.read(() => 'ok' as const), timedOut]);
      if (outcome === 'timeout') {
        report(new SecretrunError('store_io', `the store did not answer a read within ${timeoutMs} ms`));
        return { usable: false };
      }
      lastReported = undefined;
      return { usable: true };
    } catch (error) {
      report(error);
      return { usable: false };
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    check() {
      inFlight ??= probe().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
