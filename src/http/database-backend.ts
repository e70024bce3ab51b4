import { SecretrunError, invalidRequest } from '../errors.js';
import type { JsonValue } from '../json.js';
import { scheduleItem } from '../sys/lease-schedule.js';
import { rotationItem, staticAccountKey } from '../sys/lease-keys.js';
import { buildLeaseSuffix, computeLeaseTtl, type LeaseRecord } from '../sys/lease-record.js';
import { deleteLease, writeLease } from '../sys/lease-storage.js';
import type { Mount } from '../sys/mounts.js';
import type { Storage } from '../store/storage.js';
import { connectionConfigOf, isRoleAllowed, parseConnectionEntry, type ConnectionEntry } from '../database/connection-entry.js';
import { connectionKey, roleKey, staticRoleKey } from '../database/database-keys.js';
import type { DatabasePlugin } from '../database/database-plugin.js';
import { parseDatabaseRole } from '../database/database-role.js';
import type { PluginCache } from '../database/plugin-cache.js';
import { createPluginEffects, openDatabasePlugin } from '../database/plugin-loader.js';
import { nextRotation, parseStaticAccount, parseStaticRole, type StaticAccount } from '../database/static-role.js';

// The database engine's work against the databases: credentials for a role (a user and its
// lease), a lease's renewal and revocation, a static role's rotation. The slow part (the
// database) runs between short store reads and transactions, never inside one.

// The store, one short read or transaction at a time, and the time of the request.
export interface StoreAccess {
  now: number;
  read<T>(fn: (storage: Storage) => T): Promise<T>;
  update<T>(fn: (storage: Storage) => T): Promise<T>;
}

// What the engine keeps across requests.
export interface BackendDeps {
  plugins: PluginCache;
  random: (size: number) => Uint8Array;
  /** The schedule changed (a new lease, a rotation): the server re-arms its timer. */
  onSchedule: () => void;
}

// A database mount, as the router found it.
export interface DatabaseTarget {
  /** With trailing `/`. */
  mountPath: string;
  uuid: string;
  mount: Mount;
}

// The internal data a credentials lease keeps (Vault's secret internal data).
export interface CredsInternal {
  username: string;
  role: string;
  db_name: string;
  revocation_statements: string[];
}

const effects = createPluginEffects();

// The connection `name` of a mount, or the error Vault gives when it is not there.
export async function readConnection(access: StoreAccess, uuid: string, name: string): Promise<ConnectionEntry> {
  const entry = await access.read((storage) => parseConnectionEntry(storage.get(connectionKey(uuid, name))));
  if (entry === undefined) throw invalidRequest(`failed to find entry for connection with name: "${name}"`);
  return entry;
}

// The open plugin of a stored connection (cached while its configuration is unchanged). When a
// rotate-root left its new password pending (the database changed it, storing it failed), the
// connection is tried with it too, and the one that works is kept.
export function pluginOf(deps: BackendDeps, access: StoreAccess, uuid: string, name: string, entry: ConnectionEntry): Promise<DatabasePlugin> {
  return deps.plugins.get(`${uuid}/${name}`, JSON.stringify(entry), async () => {
    const pending = entry.pending_root_password;
    if (pending === undefined) return openDatabasePlugin(connectionConfigOf(entry));
    const { pending_root_password: _, ...settled } = entry;
    const rotated: ConnectionEntry = { ...settled, connection_details: { ...entry.connection_details, password: pending } };
    const open = (candidate: ConnectionEntry) => openDatabasePlugin({ ...connectionConfigOf(candidate), verifyConnection: true }).then((plugin) => ({ plugin, candidate }));
    const found = await open(rotated).catch(() => open(settled));
    await access.update((storage) => {
      // Only if nothing changed the connection meanwhile.
      const key = connectionKey(uuid, name);
      if (JSON.stringify(storage.get(key)) === JSON.stringify(entry)) storage.put(key, found.candidate as unknown as JsonValue);
    });
    return found.plugin;
  });
}

// `creds/<role>`: a new user and the lease that will drop it.
export async function createCredentials(deps: BackendDeps, access: StoreAccess, target: DatabaseTarget, roleName: string, displayName: string) {
  const found = await access.read((storage) => {
    const role = parseDatabaseRole(storage.get(roleKey(target.uuid, roleName)));
    const entry = role === undefined ? undefined : parseConnectionEntry(storage.get(connectionKey(target.uuid, role.db_name)));
    return { role, entry };
  });
  const { role, entry } = found;
  if (role === undefined) throw invalidRequest(`unknown role: ${roleName}`);
  if (entry === undefined) throw invalidRequest(`failed to find entry for connection with name: "${role.db_name}"`);
  if (!isRoleAllowed(entry, roleName)) throw invalidRequest(`"${roleName}" is not an allowed role`);
  const plugin = await pluginOf(deps, access, target.uuid, role.db_name, entry);
  const { ttl, maxTtl } = computeLeaseTtl({ ttl: role.default_ttl, maxTtl: role.max_ttl }, { ttl: target.mount.config.default_lease_ttl, maxTtl: target.mount.config.max_lease_ttl });
  const password = effects.generatePassword();
  const username = plugin.generateUsername({ displayName, roleName });
  const internal: CredsInternal = { username, role: roleName, db_name: role.db_name, revocation_statements: role.revocation_statements };
  const lease: LeaseRecord = {
    id: `${target.mountPath}creds/${roleName}/${buildLeaseSuffix(deps.random)}`,
    mountUuid: target.uuid,
    issueTime: access.now,
    expireTime: access.now + ttl * 1000,
    lastRenewal: null,
    maxExpireTime: access.now + maxTtl * 1000,
    renewable: true,
    internal: internal as unknown as Record<string, JsonValue>,
  };
  // The lease is made durable while the database creates its user, and the answer waits for
  // both: a durable write's time less per read on a file store (bench/database-server.mjs). A
  // crash in between may leave a lease whose user was never created: revoking it finds the user
  // gone (revokeCredentials). When one side fails the other is undone: a failed creation
  // deletes its lease, a lease that could not be recorded drops its user.
  // The write starts once the statements are written to the database's connection (or the
  // creation ended before that): started first, its sealing and journal append ran on the event
  // loop before the driver wrote the query, and delayed it.
  let sent!: () => void;
  const statementsSent = new Promise<void>((resolve) => (sent = resolve));
  const created = plugin.createUser({
    username,
    statements: role.creation_statements,
    rollbackStatements: role.rollback_statements,
    password,
    // A small margin, as Vault adds: the user must not expire before its lease does.
    expiration: access.now + ttl * 1000 + 5000,
    onSent: sent,
  });
  created.then(sent, sent);
  const recorded = statementsSent.then(() => access.update((storage) => writeLease(storage, lease))).then(deps.onSchedule);
  const [record, creation] = await Promise.allSettled([recorded, created]);
  if (creation.status === 'rejected') {
    if (record.status === 'fulfilled') await forgetLease(deps, access, lease.id);
    throw creation.reason;
  }
  if (record.status === 'rejected') {
    await plugin.revokeUser({ username, statements: role.revocation_statements }).catch(() => undefined);
    throw record.reason;
  }
  return { lease, ttl, username, password };
}

// Deletes the lease of a user that was never created; if even that fails, its expiry revokes
// it, finding no user.
async function forgetLease(deps: BackendDeps, access: StoreAccess, id: string): Promise<void> {
  try {
    await access.update((storage) => deleteLease(storage, id));
    deps.onSchedule();
  } catch {
    // The creation's error is the one to report.
  }
}

function credsInternalOf(lease: LeaseRecord): CredsInternal {
  const internal = lease.internal as unknown as Partial<CredsInternal>;
  if (typeof internal.username !== 'string' || typeof internal.db_name !== 'string') {
    throw new SecretrunError('internal', `lease ${lease.id} has no user name or connection`);
  }
  return { username: internal.username, role: internal.role ?? '', db_name: internal.db_name, revocation_statements: internal.revocation_statements ?? [] };
}

// Drops a lease's user (its role's revocation statements, or the plugin's default drop).
export async function revokeCredentials(deps: BackendDeps, access: StoreAccess, lease: LeaseRecord): Promise<void> {
  const internal = credsInternalOf(lease);
  const entry = await readConnection(access, lease.mountUuid, internal.db_name);
  const plugin = await pluginOf(deps, access, lease.mountUuid, internal.db_name, entry);
  try {
    await plugin.revokeUser({ username: internal.username, statements: internal.revocation_statements });
  } catch (error) {
    // The role's statements may fail for a user that is not there (`DROP USER` without `IF
    // EXISTS`): one dropped by hand, or one whose creation a crash cut short after its lease was
    // recorded. A lease has nothing left to revoke once its user is gone.
    if ((await plugin.userExists(internal.username).catch(() => true)) === false) return;
    throw error;
  }
}

// Moves a lease's user's expiry (the role's renew statements); returns the role's default TTL.
export async function renewCredentials(deps: BackendDeps, access: StoreAccess, lease: LeaseRecord, expiration: number): Promise<void> {
  const internal = credsInternalOf(lease);
  const role = await access.read((storage) => parseDatabaseRole(storage.get(roleKey(lease.mountUuid, internal.role))));
  if (role === undefined) throw invalidRequest(`error during renew: could not find role with name: "${internal.role}"`);
  const entry = await readConnection(access, lease.mountUuid, internal.db_name);
  const plugin = await pluginOf(deps, access, lease.mountUuid, internal.db_name, entry);
  await plugin.renewUser({ username: internal.username, statements: role.renew_statements, expiration: expiration + 5000 });
}

// The default TTL a renewal without an increment asks for: the role's, else the mount's.
export async function renewalDefaultTtl(access: StoreAccess, lease: LeaseRecord, mountDefault: number): Promise<number> {
  const internal = credsInternalOf(lease);
  const role = await access.read((storage) => parseDatabaseRole(storage.get(roleKey(lease.mountUuid, internal.role))));
  return role !== undefined && role.default_ttl > 0 ? role.default_ttl : mountDefault;
}

// Sets a static role's user's password to a new one and records it: the pending password is
// stored before the database changes, so a crash in between leaves it recoverable.
export async function rotateStaticRole(deps: BackendDeps, access: StoreAccess, uuid: string, name: string): Promise<StaticAccount> {
  const role = await access.read((storage) => parseStaticRole(storage.get(staticRoleKey(uuid, name))));
  if (role === undefined) throw invalidRequest(`unknown static role: ${name}`);
  const entry = await readConnection(access, uuid, role.db_name);
  const plugin = await pluginOf(deps, access, uuid, role.db_name, entry);
  const password = effects.generatePassword();
  const key = staticAccountKey(uuid, name);
  await access.update((storage) => {
    const current = storage.get(key);
    storage.put(key, { ...(current !== null && typeof current === 'object' && !Array.isArray(current) ? current : {}), pending_password: password });
  });
  try {
    await plugin.setPassword({ username: role.username, password, statements: role.rotation_statements });
  } catch (error) {
    await access.update((storage) => {
      const current = parseStaticAccount(storage.get(key));
      if (current === undefined) storage.delete(key);
      else storage.put(key, { password: current.password, last_vault_rotation: current.last_vault_rotation });
    });
    throw error;
  }
  const account: StaticAccount = { password, last_vault_rotation: Date.now() };
  await access.update((storage) => {
    storage.put(key, account as unknown as JsonValue);
    scheduleItem(storage, rotationItem(uuid, name), nextRotation(role, account));
  });
  deps.onSchedule();
  return account;
}
