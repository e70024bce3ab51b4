import { SecretrunError } from '../errors.js';
import { createLeaseManager } from './lease-manager.js';
import { listLeaseIds } from '../sys/lease-storage.js';
import { serveConnection, resetConnection, rotateRoot } from './routes/database-config.js';
import { readCredentials, readStaticCredentials, rotateRole } from './routes/database-creds.js';
import { serveRole, serveStaticRole } from './routes/database-roles.js';
import { serveLeases } from './routes/sys-leases.js';
import type { DeferredContext, LogicalResponse } from './logical.js';
import type { BackendDeps, DatabaseTarget, StoreAccess } from './database-backend.js';
import { createPluginCache } from '../database/plugin-cache.js';
import { createRandomPool } from '../random-pool.js';

// The database secrets engine and the lease manager of one process, loaded on first use (a lazy
// bundle: no kv command pays for it). It keeps the open plugins; close() closes their pools.

// How a process runs dynamic secrets.
export interface DynamicSecretsOptions {
  /** One line about background work that failed (server log, CLI stderr). */
  report: (line: string) => void;
  /** The schedule of expiries and rotations changed. */
  onSchedule?: () => void;
  /** First delay after a failed revocation (ms), doubling; 1 s by default. */
  retryBaseMs?: number;
}

const namePattern = /^\w(?:[\w.-]*\w)?$/;

function noRoute(path: string): never {
  throw new SecretrunError('unsupported_path', `no handler for route "${path}". route entry not found.`);
}

// The engine and leases of one process.
export function createDynamicSecrets(options: DynamicSecretsOptions) {
  const onSchedule = options.onSchedule ?? (() => undefined);
  const deps: BackendDeps = { plugins: createPluginCache(), random: createRandomPool(), onSchedule };
  const leases = createLeaseManager({ deps, report: options.report, onSchedule, retryBaseMs: options.retryBaseMs ?? 1000 });

  // Serves `rest` (the path after the mount) of a database mount.
  async function serveDatabase(target: DatabaseTarget, rest: string, context: DeferredContext): Promise<LogicalResponse> {
    const slash = rest.indexOf('/');
    const family = slash === -1 ? rest : rest.slice(0, slash);
    const name = slash === -1 ? '' : rest.slice(slash + 1);
    const listing = context.request.operation === 'list';
    if (name !== '' && !namePattern.test(name)) noRoute(`${target.mountPath}${rest}`);
    if (name === '' && !listing) noRoute(`${target.mountPath}${rest}`);
    switch (family) {
      case 'config':
        return serveConnection(deps, target, name, context);
      case 'roles':
        return serveRole(target, name, context);
      case 'static-roles':
        return serveStaticRole(deps, target, name, context);
      case 'creds':
        if (listing) break;
        return readCredentials(deps, target, name, context);
      case 'static-creds':
        if (listing) break;
        return readStaticCredentials(deps, target, name, context);
      case 'rotate-role':
        if (listing) break;
        return rotateRole(deps, target, name, context);
      case 'reset':
        if (listing) break;
        return resetConnection(deps, target, name, context);
      case 'rotate-root':
        if (listing) break;
        return rotateRoot(deps, target, name, context);
      default:
        break;
    }
    return noRoute(`${target.mountPath}${rest}`);
  }

  return {
    serveDatabase,
    serveLeases: (rest: string, context: DeferredContext) => serveLeases(leases, rest, context),
    /** Runs what is due (expired leases, failed revocations, static rotations). */
    sweep: (access: StoreAccess) => leases.sweep(access),
    /** Revokes every lease a mount issued, before it is disabled; throws when one fails. */
    async revokeMount(access: StoreAccess, mountPath: string): Promise<void> {
      const ids = await access.read((storage) => listLeaseIds(storage, mountPath));
      if (ids.length > 0) await leases.revokePrefix(access, mountPath, false);
    },
    close: () => deps.plugins.close(),
  };
}

// The loaded engine.
export type DynamicSecrets = ReturnType<typeof createDynamicSecrets>;
