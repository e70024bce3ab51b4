import type { ConnectionConfig } from './connection-config.js';
import type { DatabasePlugin, PluginEffects } from './database-plugin.js';
import { defaultPasswordPolicy, generatePassword, type PasswordPolicy } from './password-policy.js';
import { createRandomPool } from '../random-pool.js';

// Opens the plugin a connection names. The plugins and their drivers (pg, mysql2) are loaded
// here with import() and only here, so nothing on the runner's or the CLI's start-up path pays
// for them; scripts/build.mjs makes each plugin a lazy bundle.

// The real clock and randomness, and passwords under `policy` (Vault's default without one).
export function createPluginEffects(policy: PasswordPolicy = defaultPasswordPolicy): PluginEffects {
  const bytes = createRandomPool();
  return { now: () => Date.now(), randomBytes: bytes, generatePassword: () => generatePassword(policy, bytes) };
}

// The plugin for `config`, verified against the database when the configuration asks for it
// (verify_connection, true by default), as Vault's Initialize does.
export async function openDatabasePlugin(config: ConnectionConfig, effects: PluginEffects = createPluginEffects()): Promise<DatabasePlugin> {
  const plugin =
    config.plugin.kind === 'mysql'
      ? (await import('./mysql-plugin.js')).createMysqlPlugin(config, effects)
      : (await import('./postgresql-plugin.js')).createPostgresqlPlugin(config, effects);
  if (config.verifyConnection) {
    try {
      await plugin.verifyConnection();
    } catch (error) {
      await plugin.close();
      throw error;
    }
  }
  return plugin;
}
