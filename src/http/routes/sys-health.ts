import type { JsonObject } from '../../json.js';
import { goStruct } from '../../go/json.js';
import type { LogicalResponse } from '../logical.js';
import type { RouteContext } from './route-context.js';

const version = '1.21.0+secretrun';

// `sys/health` and `sys/seal-status`: secretrun is always initialized and unsealed (the root
// key is supplied when the store is opened), so these only say so in Vault's shape.
export function readHealth(context: RouteContext, clusterId: string): LogicalResponse {
  const body: JsonObject = goStruct({
    initialized: true,
    sealed: false,
    standby: false,
    performance_standby: false,
    replication_performance_mode: 'disabled',
    replication_dr_mode: 'disabled',
    server_time_utc: Math.floor(context.now / 1000),
    version,
    cluster_name: 'secretrun',
    cluster_id: clusterId,
  });
  return { kind: 'raw', status: 200, data: body, bare: true };
}

export function readSealStatus(clusterId: string): LogicalResponse {
  const body: JsonObject = goStruct({
    type: 'shamir',
    initialized: true,
    sealed: false,
    t: 1,
    n: 1,
    progress: 0,
    nonce: '',
    version,
    build_date: '',
    migration: false,
    cluster_name: 'secretrun',
    cluster_id: clusterId,
    recovery_seal: false,
    storage_type: 'file',
  });
  return { kind: 'raw', status: 200, data: body, bare: true };
}
