import { connectionKey, roleKey, staticRoleKey } from '../../database/database-keys.js';
import type { Storage } from '../../store/storage.js';
import type { Mount } from '../../sys/mounts.js';
import type { AcceptedFields, Served } from '../logical.js';
import type { DynamicLoader } from '../dynamic-loader.js';

// The synchronous side of the database engine and the lease endpoints: the router finds the
// mount (or the sys/leases path) inside the request's read or transaction and answers with
// deferred work, which loads the engine and talks to the database outside any transaction.

// The fields each database path defines (builtin/logical/database/path_*.go); config/ takes
// the plugin's connection details, any name.
const databaseFields: Record<string, AcceptedFields> = {
  config: 'any',
  roles: ['name', 'db_name', 'creation_statements', 'revocation_statements', 'renew_statements', 'rollback_statements', 'default_ttl', 'max_ttl', 'credential_type', 'credential_config'],
  'static-roles': ['name', 'db_name', 'username', 'rotation_period', 'rotation_schedule', 'rotation_window', 'rotation_statements', 'credential_type', 'credential_config', 'self_managed_password', 'skip_import_rotation'],
  creds: ['name'],
  'static-creds': ['name'],
  'rotate-role': ['name'],
  reset: ['name'],
  'rotate-root': ['name'],
};

// A path on a database mount.
export function routeDatabase(match: { path: string; mount: Mount; rest: string }, dynamic: DynamicLoader): Served {
  const family = match.rest.split('/', 1)[0] ?? '';
  const target = { mountPath: match.path, uuid: match.mount.uuid, mount: match.mount };
  return {
    response: { kind: 'deferred', run: async (context) => (await dynamic.load()).serveDatabase(target, match.rest, context) },
    fields: databaseFields[family] ?? 'any',
  };
}

const leaseFields: AcceptedFields = ['lease_id', 'url_lease_id', 'increment', 'sync', 'prefix'];

// `sys/leases/<rest>` (legacy `sys/renew`, `sys/revoke`, … given as their sys/leases form).
export function routeLeases(rest: string, dynamic: DynamicLoader): Served {
  return { response: { kind: 'deferred', run: async (context) => (await dynamic.load()).serveLeases(rest, context) }, fields: leaseFields };
}

// The sys/leases form of a legacy lease path (`renew/<id>` → `renew/<id>`), or undefined.
export function legacyLeasePath(rest: string): string | undefined {
  for (const action of ['renew', 'revoke', 'revoke-prefix', 'revoke-force']) {
    if (rest === action || rest.startsWith(`${action}/`)) return rest;
  }
  return undefined;
}

// Vault's existence checks of the database paths that have one (config/, roles/,
// static-roles/): a write to a missing one is a `create` for the ACL. Undefined elsewhere.
export function databaseExistenceOf(storage: Storage, uuid: string, rest: string): boolean | undefined {
  const slash = rest.indexOf('/');
  if (slash === -1) return undefined;
  const name = rest.slice(slash + 1);
  const family = rest.slice(0, slash);
  const key = family === 'config' ? connectionKey : family === 'roles' ? roleKey : family === 'static-roles' ? staticRoleKey : undefined;
  return key === undefined || name === '' ? undefined : storage.get(key(uuid, name)) !== undefined;
}
