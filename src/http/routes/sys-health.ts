import type { JsonObject } from '../../json.js';
import { goStruct } from '../../go/json.js';
import type { LogicalResponse } from '../logical.js';

// `sys/health` and `sys/seal-status` in Vault's shapes. secretrun is initialized and unsealed
// while its store opens and passes its checks (the root key is supplied when the store is
// opened); a store that fails them is reported as Vault reports a sealed node, so a load
// balancer or monitor takes it out of service instead of sending it requests that fail.

const version = '1.21.0+secretrun';

// Whether the store could be used at the moment of the check.
export interface StoreCondition {
  usable: boolean;
}

// `GET sys/health`: 200 when usable; 503 and `sealed: true` otherwise, without the cluster's
// name and id, as Vault answers when sealed (http/sys_health.go).
export function renderHealth(condition: StoreCondition, now: number, clusterId: string): LogicalResponse {
  const sealed = !condition.usable;
  const body: JsonObject = {
    initialized: true,
    sealed,
    standby: sealed,
    performance_standby: false,
    replication_performance_mode: 'disabled',
    replication_dr_mode: 'disabled',
    server_time_utc: Math.floor(now / 1000),
    version,
  };
  if (!sealed) Object.assign(body, { cluster_name: 'secretrun', cluster_id: clusterId });
  return { kind: 'raw', status: sealed ? 503 : 200, data: goStruct(body), bare: true };
}

// `GET sys/seal-status`: always 200, `sealed` saying whether the store could be used.
export function renderSealStatus(condition: StoreCondition, clusterId: string): LogicalResponse {
  const body: JsonObject = goStruct({
    type: 'shamir',
    initialized: true,
    sealed: !condition.usable,
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
