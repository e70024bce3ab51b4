import { SecretrunError, invalidRequest } from '../../errors.js';
import type { JsonValue } from '../../json.js';
import { buildDatabaseRole, parseDatabaseRole, renderDatabaseRole } from '../../database/database-role.js';
import { rotateStaticRole, type BackendDeps, type DatabaseTarget } from '../database-backend.js';
import { familyPrefix, roleKey, staticRoleKey } from '../../database/database-keys.js';
import { buildStaticRole, nextRotation, parseStaticAccount, parseStaticRole, renderStaticRole } from '../../database/static-role.js';
import { rotationItem, staticAccountKey } from '../../sys/lease-keys.js';
import { scheduleItem } from '../../sys/lease-schedule.js';
import { dataResponse, none, type DeferredContext, type LogicalResponse } from '../logical.js';

// `database/roles/<name>` and `database/static-roles/<name>`: what a credentials read creates,
// and the existing users whose passwords the engine rotates. A role and a static role may not
// share a name. Creating a static role rotates its password at once, as Vault does, so only the
// engine knows it from then on.

function unsupported(): never {
  throw new SecretrunError('unsupported_operation', 'unsupported operation');
}

async function listFamily(context: DeferredContext, prefix: string): Promise<LogicalResponse> {
  const keys = await context.read((storage) => storage.list(prefix).map((key) => key.slice(prefix.length)));
  return dataResponse({ keys });
}

// `roles/` (list) and `roles/<name>`.
export async function serveRole(target: DatabaseTarget, name: string, context: DeferredContext): Promise<LogicalResponse> {
  const { request } = context;
  const key = roleKey(target.uuid, name);
  switch (request.operation) {
    case 'list':
      return listFamily(context, familyPrefix(target.uuid, 'role'));
    case 'read': {
      const role = await context.read((storage) => parseDatabaseRole(storage.get(key)));
      return role === undefined ? none : dataResponse(renderDatabaseRole(role));
    }
    case 'delete':
      await context.update((storage) => storage.delete(key));
      return none;
    case 'create':
    case 'update':
      if (name === '') throw invalidRequest('empty role name attribute given');
      await context.update((storage) => {
        if (storage.get(staticRoleKey(target.uuid, name)) !== undefined) throw invalidRequest('Role and Static Role names must be unique');
        storage.put(key, buildDatabaseRole(parseDatabaseRole(storage.get(key)), request.data) as unknown as JsonValue);
      });
      return none;
    default:
      return unsupported();
  }
}

// `static-roles/` (list) and `static-roles/<name>`.
export async function serveStaticRole(deps: BackendDeps, target: DatabaseTarget, name: string, context: DeferredContext): Promise<LogicalResponse> {
  const { request } = context;
  const key = staticRoleKey(target.uuid, name);
  switch (request.operation) {
    case 'list':
      return listFamily(context, familyPrefix(target.uuid, 'static-role'));
    case 'read': {
      const found = await context.read((storage) => ({ role: parseStaticRole(storage.get(key)), account: parseStaticAccount(storage.get(staticAccountKey(target.uuid, name))) }));
      return found.role === undefined ? none : dataResponse(renderStaticRole(found.role, found.account, Date.now()));
    }
    case 'delete':
      await context.update((storage) => {
        storage.delete(key);
        storage.delete(staticAccountKey(target.uuid, name));
        scheduleItem(storage, rotationItem(target.uuid, name), undefined);
      });
      deps.onSchedule();
      return none;
    case 'create':
    case 'update': {
      if (name === '') throw invalidRequest('empty role name attribute given');
      const created = await context.update((storage) => {
        if (storage.get(roleKey(target.uuid, name)) !== undefined) throw invalidRequest('Role and Static Role names must be unique');
        const current = parseStaticRole(storage.get(key));
        const role = buildStaticRole(current, request.data);
        storage.put(key, role as unknown as JsonValue);
        const account = parseStaticAccount(storage.get(staticAccountKey(target.uuid, name)));
        if (account !== undefined) scheduleItem(storage, rotationItem(target.uuid, name), nextRotation(role, account));
        return current === undefined;
      });
      deps.onSchedule();
      if (!created) return none;
      try {
        await rotateStaticRole(deps, context, target.uuid, name);
      } catch (error) {
        // A static role whose first rotation failed is not kept: its password is unknown.
        await context.update((storage) => storage.delete(key));
        throw error;
      }
      return none;
    }
    default:
      return unsupported();
  }
}
