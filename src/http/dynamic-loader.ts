import type { DynamicSecrets, DynamicSecretsOptions } from './database-engine.js';

// Loads the database engine and lease manager (a lazy bundle) the first time a request needs
// them, and closes their database connections when its owner (the server, a CLI command) stops.

// One process's handle on the engine.
export interface DynamicLoader {
  load(): Promise<DynamicSecrets>;
  /** Closes the engine's pools if it was ever loaded. */
  close(): Promise<void>;
}

// A loader that creates the engine with `options` on first use.
export function createDynamicLoader(options: DynamicSecretsOptions): DynamicLoader {
  let engine: Promise<DynamicSecrets> | undefined;
  return {
    load() {
      engine ??= import('./database-engine.js').then((module) => module.createDynamicSecrets(options));
      return engine;
    },
    async close() {
      if (engine === undefined) return;
      const loaded = await engine.catch(() => undefined);
      await loaded?.close();
    },
  };
}
