import { SecretrunError, invalidRequest, isSecretrunError } from '../errors.js';
import { renewCredentials, renewalDefaultTtl, revokeCredentials, rotateStaticRole, type BackendDeps, type StoreAccess } from './database-backend.js';
import { staticRoleKey } from '../database/database-keys.js';
import { missedWindow, nextRotation, parseStaticAccount, parseStaticRole } from '../database/static-role.js';
import { readMounts } from '../sys/mounts.js';
import { rotationItem, staticAccountKey } from '../sys/lease-keys.js';
import { planRenewal, retryDelayMs, systemMaxTtlSeconds, type LeaseRecord } from '../sys/lease-record.js';
import { listDueItems, listScheduledItems, readDueTime, scheduleItem } from '../sys/lease-schedule.js';
import { deleteLease, listLeaseIds, readLease, writeLease } from '../sys/lease-storage.js';

// Renewal, revocation and expiry of leases, and the timed rotation of static roles. A
// revocation that fails keeps its lease, with the attempt count and the error, and is retried
// with backoff: a lease is never forgotten while its secret may still work.

// What the manager needs besides the engine's dependencies.
export interface LeaseManagerOptions {
  deps: BackendDeps;
  /** One line about background work that failed (server log, CLI stderr). */
  report: (line: string) => void;
  /** The schedule changed (the server re-arms its timer). */
  onSchedule: () => void;
  retryBaseMs: number;
}

// A renewal's result.
export interface Renewed {
  lease: LeaseRecord;
  ttl: number;
  warnings: string[];
}

// One line for a failure: our errors are one line and secret-free already.
function reasonOf(error: unknown): string {
  if (isSecretrunError(error)) return error.message;
  return error instanceof Error ? error.message.split('\n', 1)[0] ?? '' : String(error);
}

// The lease manager of one process.
export function createLeaseManager(options: LeaseManagerOptions) {
  const { deps } = options;

  // Revokes one lease; a failure is recorded on the lease (and scheduled for a retry) and thrown.
  async function revoke(access: StoreAccess, id: string): Promise<void> {
    const lease = await access.read((storage) => readLease(storage, id));
    if (lease === undefined) return;
    try {
      await revokeCredentials(deps, access, lease);
    } catch (error) {
      const attempts = (lease.revocation?.attempts ?? 0) + 1;
      const nextAttempt = Date.now() + retryDelayMs(attempts, options.retryBaseMs);
      const recorded = await access
        .update((storage) => {
          const current = readLease(storage, id);
          if (current === undefined) return false;
          writeLease(storage, { ...current, revocation: { attempts, lastError: reasonOf(error), nextAttempt } });
          return true;
        })
        .catch(() => false);
      if (recorded) options.onSchedule();
      throw error;
    }
    await access.update((storage) => deleteLease(storage, id));
    options.onSchedule();
  }

  // Revokes every lease under `prefix`; with `force`, forgets them even when revocation fails.
  async function revokePrefix(access: StoreAccess, prefix: string, force: boolean): Promise<void> {
    const ids = await access.read((storage) => listLeaseIds(storage, prefix));
    const failures: unknown[] = [];
    for (const id of ids) {
      try {
        await revoke(access, id);
      } catch (error) {
        if (!force) {
          failures.push(error);
          continue;
        }
        await access.update((storage) => deleteLease(storage, id));
        options.onSchedule();
      }
    }
    if (failures.length === 0) return;
    const first = failures[0];
    const message = `failed to revoke ${failures.length} of ${ids.length} leases under "${prefix}" (kept, retried with backoff): ${reasonOf(first)}`;
    throw new SecretrunError(isSecretrunError(first) ? first.code : 'internal', message);
  }

  // Renews a lease by `increment` seconds (0: the role's default TTL), capped at its max TTL.
  async function renew(access: StoreAccess, id: string, increment: number): Promise<Renewed> {
    const found = await access.read((storage) => {
      const lease = readLease(storage, id);
      const mount = Object.values(readMounts(storage)).find((m) => m.uuid === lease?.mountUuid);
      return { lease, mountDefault: mount?.config.default_lease_ttl ?? 0 };
    });
    const { lease } = found;
    // Vault's leaseEntry.renewable, in its order and words.
    if (lease === undefined) throw invalidRequest('lease not found');
    if (lease.revocation !== undefined) throw invalidRequest('lease is expired and has failed previous revocation attempts');
    if (lease.expireTime <= Date.now()) throw invalidRequest('lease expired');
    if (!lease.renewable) throw invalidRequest('lease is not renewable');
    const defaultTtl = await renewalDefaultTtl(access, lease, found.mountDefault > 0 ? found.mountDefault : systemMaxTtlSeconds);
    const now = Date.now();
    const plan = planRenewal(lease, increment, defaultTtl, now);
    if (plan === undefined) throw invalidRequest('past the max TTL, cannot renew');
    await renewCredentials(deps, access, lease, plan.expireTime);
    const renewed: LeaseRecord = { ...lease, expireTime: plan.expireTime, lastRenewal: now };
    await access.update((storage) => {
      if (readLease(storage, id) === undefined) throw invalidRequest('lease not found');
      writeLease(storage, renewed);
    });
    options.onSchedule();
    return { lease: renewed, ttl: plan.ttl, warnings: plan.warning === undefined ? [] : [plan.warning] };
  }

  // Runs what is due: revokes expired leases (and retries failed revocations), rotates static
  // roles. Failures are reported and rescheduled, never thrown: the command or server goes on.
  async function sweep(access: StoreAccess): Promise<void> {
    const due = await access.read((storage) => listDueItems(storage, Date.now()));
    for (const item of due) {
      if (item.startsWith('rotate:')) {
        await rotateDue(access, item.slice('rotate:'.length));
        continue;
      }
      try {
        await revoke(access, item);
      } catch (error) {
        const lease = await access.read((storage) => readLease(storage, item)).catch(() => undefined);
        const attempts = lease?.revocation?.attempts ?? 1;
        options.report(`revoking expired lease ${item} failed (attempt ${attempts}, retried with backoff): ${reasonOf(error)}`);
      }
    }
  }

  async function rotateDue(access: StoreAccess, target: string): Promise<void> {
    const slash = target.indexOf('/');
    const uuid = target.slice(0, slash);
    const name = target.slice(slash + 1);
    const found = await access.read((storage) => ({
      role: parseStaticRole(storage.get(staticRoleKey(uuid, name))),
      account: parseStaticAccount(storage.get(staticAccountKey(uuid, name))),
      scheduledAt: readDueTime(storage, rotationItem(uuid, name)),
    }));
    // A static role deleted meanwhile (or by another process) has nothing left to rotate.
    if (found.role === undefined) {
      await access.update((storage) => scheduleItem(storage, rotationItem(uuid, name), undefined));
      options.onSchedule();
      return;
    }
    // Past its rotation_window the rotation waits for the next scheduled time, as in Vault.
    const now = Date.now();
    if (found.account !== undefined && found.scheduledAt !== undefined && missedWindow(found.role, found.scheduledAt, now)) {
      const next = nextRotation(found.role, found.account, now);
      await access.update((storage) => scheduleItem(storage, rotationItem(uuid, name), next));
      options.report(`static role ${name} missed its rotation window; next rotation at ${new Date(next).toISOString()}`);
      options.onSchedule();
      return;
    }
    try {
      await rotateStaticRole(deps, access, uuid, name);
    } catch (error) {
      const retry = Date.now() + retryDelayMs(2, options.retryBaseMs);
      await access.update((storage) => scheduleItem(storage, rotationItem(uuid, name), retry)).catch(() => undefined);
      options.report(`rotating static role ${name} failed (retried with backoff): ${reasonOf(error)}`);
    }
    options.onSchedule();
  }

  // sys/leases/tidy: drops schedule entries whose lease is gone and forgets leases whose mount
  // is gone (nothing could revoke them).
  async function tidy(access: StoreAccess): Promise<void> {
    await access.update((storage) => {
      const uuids = new Set(Object.values(readMounts(storage)).map((mount) => mount.uuid));
      for (const item of listScheduledItems(storage)) {
        if (!item.startsWith('rotate:') && readLease(storage, item) === undefined) scheduleItem(storage, item, undefined);
      }
      for (const id of listLeaseIds(storage, '')) {
        const lease = readLease(storage, id);
        if (lease !== undefined && !uuids.has(lease.mountUuid)) deleteLease(storage, id);
      }
    });
    options.onSchedule();
  }

  return { revoke, revokePrefix, renew, sweep, tidy };
}

// A process's lease manager.
export type LeaseManager = ReturnType<typeof createLeaseManager>;
