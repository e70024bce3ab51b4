import { SecretrunError, invalidRequest, isSecretrunError } from '../../errors.js';
import type { JsonValue } from '../../json.js';
import { checkRootRotation } from '../../database/connection-config.js';
import { buildConnectionEntry, connectionConfigOf, literalPasswordWarning, parseConnectionEntry, renderConnectionEntry, type ConnectionEntry } from '../../database/connection-entry.js';
import { readConnection, type BackendDeps, type DatabaseTarget } from '../database-backend.js';
import { connectionKey, familyPrefix } from '../../database/database-keys.js';
import { createPluginEffects, openDatabasePlugin } from '../../database/plugin-loader.js';
import { dataResponse, none, type DeferredContext, type LogicalResponse } from '../logical.js';

// `database/config/<name>` (write, read, list, delete), `reset/<name>` and `rotate-root/<name>`:
// the connections of a database mount. Writing one opens its plugin first (and, with
// verify_connection, connects), so a configuration that cannot work is refused before it is
// stored; the opened plugin then serves the connection's requests.

const cacheKey = (target: DatabaseTarget, name: string): string => `${target.uuid}/${name}`;

// Vault's wording for a plugin that could not be set up; a database error keeps its code.
function creationError(error: unknown): unknown {
  if (!isSecretrunError(error)) return error;
  return new SecretrunError(error.code, `error creating database object: ${error.message}`, error.hint === undefined ? {} : { hint: error.hint });
}

// `config/` (list) and `config/<name>`.
export async function serveConnection(deps: BackendDeps, target: DatabaseTarget, name: string, context: DeferredContext): Promise<LogicalResponse> {
  const { request } = context;
  const key = connectionKey(target.uuid, name);
  switch (request.operation) {
    case 'list': {
      const keys = await context.read((storage) => storage.list(familyPrefix(target.uuid, 'config')).map((k) => k.slice(familyPrefix(target.uuid, 'config').length)));
      return dataResponse({ keys });
    }
    case 'read': {
      const entry = await context.read((storage) => parseConnectionEntry(storage.get(key)));
      return entry === undefined ? none : dataResponse(renderConnectionEntry(entry));
    }
    case 'delete':
      await context.update((storage) => storage.delete(key));
      await deps.plugins.drop(cacheKey(target, name));
      return none;
    case 'create':
    case 'update': {
      if (name === '') throw invalidRequest('empty name attribute given');
      const existing = await context.read((storage) => parseConnectionEntry(storage.get(key)));
      const entry = buildConnectionEntry(existing, request.data);
      const config = connectionConfigOf(entry);
      const plugin = await openDatabasePlugin(config).catch((error: unknown) => {
        throw creationError(error);
      });
      try {
        await context.update((storage) => storage.put(key, entry as unknown as JsonValue));
      } catch (error) {
        await plugin.close();
        throw error;
      }
      await deps.plugins.put(cacheKey(target, name), JSON.stringify(entry), plugin);
      const warning = literalPasswordWarning(config);
      return warning === undefined ? none : { kind: 'none', warnings: [warning] };
    }
    default:
      throw new SecretrunError('unsupported_operation', 'unsupported operation');
  }
}

// `reset/<name>`: closes the connection's pool and opens it again from its stored configuration.
export async function resetConnection(deps: BackendDeps, target: DatabaseTarget, name: string, context: DeferredContext): Promise<LogicalResponse> {
  if (context.request.operation !== 'update' && context.request.operation !== 'create') throw new SecretrunError('unsupported_operation', 'unsupported operation');
  const entry = await readConnection(context, target.uuid, name);
  await deps.plugins.drop(cacheKey(target, name));
  const plugin = await openDatabasePlugin(connectionConfigOf(entry)).catch((error: unknown) => {
    throw creationError(error);
  });
  await deps.plugins.put(cacheKey(target, name), JSON.stringify(entry), plugin);
  return none;
}

// `rotate-root/<name>`: a new password for the connection's own user, stored encrypted like the
// old one; from then on only the engine knows it. The new password is recorded as pending
// before the database changes it, so a rotation whose last step (storing it) fails is not a
// lock-out: the engine finds the working password among the two (database-backend.ts).
export async function rotateRoot(deps: BackendDeps, target: DatabaseTarget, name: string, context: DeferredContext): Promise<LogicalResponse> {
  if (context.request.operation !== 'update' && context.request.operation !== 'create') throw new SecretrunError('unsupported_operation', 'unsupported operation');
  const key = connectionKey(target.uuid, name);
  const entry = await readConnection(context, target.uuid, name);
  const config = connectionConfigOf(entry);
  checkRootRotation(config);
  const effects = createPluginEffects();
  const password = effects.generatePassword();
  await context.update((storage) => storage.put(key, { ...entry, pending_root_password: password } as unknown as JsonValue));
  // A plugin of its own: the rotation reconnects it with the new password.
  const plugin = await openDatabasePlugin({ ...config, verifyConnection: false }, { ...effects, generatePassword: () => password });
  try {
    await plugin.rotateRoot(entry.root_credentials_rotate_statements);
  } catch (error) {
    await plugin.close();
    await context.update((storage) => storage.put(key, entry as unknown as JsonValue)).catch(() => undefined);
    throw error;
  }
  const rotated: ConnectionEntry = { ...entry, connection_details: { ...entry.connection_details, password } };
  await context.update((storage) => storage.put(key, rotated as unknown as JsonValue));
  await deps.plugins.put(cacheKey(target, name), JSON.stringify(rotated), plugin);
  return none;
}
