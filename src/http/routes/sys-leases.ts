import { SecretrunError, invalidRequest } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { decodeDurationSeconds, decodeBool } from '../../kv/field-decode.js';
import { renderTime } from '../../database/static-role.js';
import type { LeaseManager } from '../lease-manager.js';
import { listLeaseIds, readLease } from '../../sys/lease-storage.js';
import { dataResponse, none, type DeferredContext, type LogicalResponse } from '../logical.js';

// Vault's lease endpoints: `sys/leases/lookup`, `renew`, `revoke`, `revoke-prefix`,
// `revoke-force`, `tidy`, and the legacy `sys/renew`, `sys/revoke`, `sys/revoke-prefix`,
// `sys/revoke-force`. `rest` is the path after `sys/leases/` (legacy paths are mapped to it).

function unsupported(): never {
  throw new SecretrunError('unsupported_operation', 'unsupported operation');
}

function isWrite(context: DeferredContext): boolean {
  return context.request.operation === 'update' || context.request.operation === 'create';
}

// The lease id of a request: the path's tail or the `lease_id` field (url_lease_id wins, as in Vault).
function leaseIdOf(context: DeferredContext, tail: string, missing: string): string {
  const fromBody = context.request.data['lease_id'];
  const id = tail !== '' ? tail : typeof fromBody === 'string' ? fromBody.trim() : '';
  if (id === '') throw invalidRequest(missing);
  return id;
}

// Immediate children under a prefix of lease ids, as a storage list shows them.
function childrenOf(ids: readonly string[], prefix: string): string[] {
  const keys = new Set<string>();
  for (const id of ids) {
    const rest = id.slice(prefix.length);
    const slash = rest.indexOf('/');
    keys.add(slash === -1 ? rest : rest.slice(0, slash + 1));
  }
  return [...keys];
}

// Serves `sys/leases/<rest>`.
export async function serveLeases(manager: LeaseManager, rest: string, context: DeferredContext): Promise<LogicalResponse> {
  const slash = rest.indexOf('/');
  const action = slash === -1 ? rest : rest.slice(0, slash);
  const tail = slash === -1 ? '' : rest.slice(slash + 1);
  switch (action) {
    case 'lookup': {
      if (context.request.operation === 'list') {
        const prefix = tail;
        const ids = await context.read((storage) => listLeaseIds(storage, prefix));
        return dataResponse({ keys: childrenOf(ids, prefix) });
      }
      if (!isWrite(context)) return unsupported();
      const id = leaseIdOf(context, '', 'missing lease id');
      const lease = await context.read((storage) => readLease(storage, id));
      if (lease === undefined) throw invalidRequest('invalid lease');
      const now = Date.now();
      const data: JsonObject = {
        expire_time: renderTime(lease.expireTime),
        id: lease.id,
        issue_time: renderTime(lease.issueTime),
        last_renewal: lease.lastRenewal === null ? null : renderTime(lease.lastRenewal),
        renewable: lease.renewable,
        ttl: Math.max(0, Math.round((lease.expireTime - now) / 1000)),
      };
      return dataResponse(data);
    }
    case 'renew': {
      if (!isWrite(context)) return unsupported();
      const id = leaseIdOf(context, tail, 'lease_id must be specified');
      const increment = decodeDurationSeconds(context.request.data['increment'], 'increment', { signed: false });
      const renewed = await manager.renew(context, id, increment);
      return { kind: 'data', data: null, leaseDuration: renewed.ttl, lease: { id, renewable: renewed.lease.renewable }, ...(renewed.warnings.length > 0 ? { warnings: renewed.warnings } : {}) };
    }
    case 'revoke': {
      if (!isWrite(context)) return unsupported();
      const id = leaseIdOf(context, tail, 'lease_id must be specified');
      // Revocation runs now whatever `sync` says; a failure is kept and retried all the same.
      if (context.request.data['sync'] !== undefined) decodeBool(context.request.data['sync'], 'sync');
      await manager.revoke(context, id);
      return none;
    }
    case 'revoke-prefix':
    case 'revoke-force': {
      if (!isWrite(context)) return unsupported();
      // Tokens are revoked through auth/token/ here; their leases are not kept in this table.
      if (tail.startsWith('auth/')) throw new SecretrunError('unsupported_path', `no handler for route "sys/leases/${rest}". route entry not found.`);
      await manager.revokePrefix(context, tail, action === 'revoke-force');
      return none;
    }
    case 'tidy':
      if (!isWrite(context)) return unsupported();
      await manager.tidy(context);
      return { kind: 'none', warnings: ['Tidy operation successfully started. Any information from the operation will be printed to Vault\'s server logs.'] };
    default:
      throw new SecretrunError('unsupported_path', `no handler for route "sys/leases/${rest}". route entry not found.`);
  }
}
