import { SecretrunError, invalidRequest } from '../../errors.js';
import { createCredentials, rotateStaticRole, type BackendDeps, type DatabaseTarget } from '../database-backend.js';
import { staticAccountKey } from '../../sys/lease-keys.js';
import { parseStaticAccount, parseStaticRole, renderStaticCreds } from '../../database/static-role.js';
import { parseConnectionEntry, isRoleAllowed } from '../../database/connection-entry.js';
import { connectionKey, staticRoleKey } from '../../database/database-keys.js';
import { dataResponse, none, type DeferredContext, type LogicalResponse } from '../logical.js';

// `database/creds/<role>` (a new user under a lease), `static-creds/<name>` (a static role's
// current password) and `rotate-role/<name>` (rotate it now).

function only(context: DeferredContext, ...operations: string[]): void {
  if (!operations.includes(context.request.operation)) throw new SecretrunError('unsupported_operation', 'unsupported operation');
}

// `creds/<role>`: the answer Vault's `read` prints as lease_id, lease_duration,
// lease_renewable, password, username.
export async function readCredentials(deps: BackendDeps, target: DatabaseTarget, role: string, context: DeferredContext): Promise<LogicalResponse> {
  only(context, 'read');
  const displayName = context.caller?.record.display_name ?? 'root';
  const { lease, ttl, username, password } = await createCredentials(deps, context, target, role, displayName);
  return { kind: 'data', data: { password, username }, leaseDuration: ttl, lease: { id: lease.id, renewable: lease.renewable } };
}

// `static-creds/<name>`.
export async function readStaticCredentials(deps: BackendDeps, target: DatabaseTarget, name: string, context: DeferredContext): Promise<LogicalResponse> {
  only(context, 'read');
  const found = await context.read((storage) => {
    const role = parseStaticRole(storage.get(staticRoleKey(target.uuid, name)));
    const entry = role === undefined ? undefined : parseConnectionEntry(storage.get(connectionKey(target.uuid, role.db_name)));
    return { role, entry, account: parseStaticAccount(storage.get(staticAccountKey(target.uuid, name))) };
  });
  if (found.role === undefined) throw invalidRequest(`unknown role: ${name}`);
  if (found.entry !== undefined && !isRoleAllowed(found.entry, name)) throw invalidRequest(`"${name}" is not an allowed role`);
  if (found.account === undefined) return none;
  // A rotation was interrupted after it may have changed the password: the stored one may no
  // longer work, so rotate again before answering.
  const account = found.account.pending_password === undefined ? found.account : await rotateStaticRole(deps, context, target.uuid, name);
  return dataResponse(renderStaticCreds(found.role, account, Date.now()));
}

// `rotate-role/<name>`.
export async function rotateRole(deps: BackendDeps, target: DatabaseTarget, name: string, context: DeferredContext): Promise<LogicalResponse> {
  only(context, 'update', 'create');
  await rotateStaticRole(deps, context, target.uuid, name);
  return none;
}
