import type { DatabasePlugin } from './database-plugin.js';

// Open plugins (each with its pool) kept per connection, for as long as the connection's stored
// configuration does not change: the key is the mount and connection name, the revision the
// stored entry's text. A one-shot CLI closes them all before it exits; the server keeps them.

// The cache of one process.
export interface PluginCache {
  /** The plugin for `key` at `revision`, opened with `open` when absent or stale. */
  get(key: string, revision: string, open: () => Promise<DatabasePlugin>): Promise<DatabasePlugin>;
  /** Replaces whatever is cached for `key` with an already opened plugin. */
  put(key: string, revision: string, plugin: DatabasePlugin): Promise<void>;
  /** Closes and forgets the plugin of `key` (a deleted or reset connection). */
  drop(key: string): Promise<void>;
  close(): Promise<void>;
}

interface Cached {
  revision: string;
  plugin: Promise<DatabasePlugin>;
}

// An empty cache.
export function createPluginCache(): PluginCache {
  const cached = new Map<string, Cached>();
  const closeQuietly = async (entry: Cached | undefined): Promise<void> => {
    if (entry === undefined) return;
    const plugin = await entry.plugin.catch(() => undefined);
    await plugin?.close().catch(() => undefined);
  };
  return {
    async get(key, revision, open) {
      const current = cached.get(key);
      if (current !== undefined && current.revision === revision) return current.plugin;
      const entry: Cached = { revision, plugin: open() };
      cached.set(key, entry);
      await closeQuietly(current);
      // A failed open is not kept: the next use tries again.
      entry.plugin.catch(() => {
        if (cached.get(key) === entry) cached.delete(key);
      });
      return entry.plugin;
    },
    async put(key, revision, plugin) {
      const current = cached.get(key);
      cached.set(key, { revision, plugin: Promise.resolve(plugin) });
      await closeQuietly(current);
    },
    async drop(key) {
      const current = cached.get(key);
      cached.delete(key);
      await closeQuietly(current);
    },
    async close() {
      const all = [...cached.values()];
      cached.clear();
      await Promise.all(all.map(closeQuietly));
    },
  };
}
