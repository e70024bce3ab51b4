import { SecretrunError } from '../../errors.js';
import { deleteV1, listV1, readV1, v1LeaseSeconds, writeV1 } from '../../kv/kv-v1.js';
import type { KvScope } from '../../kv/kv-scope.js';
import { dataResponse, none, type LogicalResponse } from '../logical.js';
import type { RouteContext } from './route-context.js';

// Serves one request on a KV v1 mount: the path after the mount is the key itself.
export function routeKvV1(scope: KvScope, key: string, context: RouteContext): LogicalResponse {
  const { request } = context;
  switch (request.operation) {
    case 'read': {
      const data = readV1(scope, key);
      if (data === undefined) return none;
      const lease = v1LeaseSeconds(data);
      return lease > 0 ? { kind: 'data', data, leaseDuration: lease } : dataResponse(data);
    }
    case 'list':
      return dataResponse({ keys: listV1(scope, key) });
    case 'create':
    case 'update':
      writeV1(scope, key, request.data);
      return none;
    case 'delete':
      deleteV1(scope, key);
      return none;
    case 'patch':
      throw new SecretrunError('unsupported_operation', 'unsupported operation');
  }
}
