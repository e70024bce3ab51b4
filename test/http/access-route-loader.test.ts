import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAccessRouteLoader, needsAccessRoutes } from '../../src/http/access-route-loader.js';
import { createDynamicLoader } from '../../src/http/dynamic-loader.js';
import { createApiHandler } from '../../src/http/handler.js';
import type { LogicalRequest } from '../../src/http/logical.js';
import { routeRequest } from '../../src/http/router.js';
import { createMemoryStore } from '../../src/store/memory-store.js';

// Every kind of path the router serves (router.ts), each branch at least once.
const paths = [
  'secret/data/app', 'secret/metadata/app', 'secret/config', 'kv1/app', 'db/creds/role', 'nowhere/x',
  'sys/mounts', 'sys/mounts/secret', 'sys/mounts/secret/tune', 'sys/mounts/auth/userpass/tune', 'sys/mounts/auth/other',
  'sys/leases/lookup', 'sys/leases/renew', 'sys/renew/x', 'sys/revoke/x', 'sys/revoke-prefix/x', 'sys/revoke-force/x',
  'sys/internal/ui/mounts/secret/app', 'sys/internal/ui/mounts', 'sys/health', 'sys/seal-status',
  'sys/policies/acl', 'sys/policies/acl/app', 'sys/policy', 'sys/policy/app', 'sys/capabilities', 'sys/capabilities-self', 'sys/capabilities-accessor',
  'sys/auth', 'sys/auth/userpass', 'sys/auth/userpass/tune', 'sys/audit', 'sys/audit/file', 'sys/audit-hash/file', 'sys/unknown',
  'auth/token/lookup-self', 'auth/token/create', 'auth/userpass/login/bob', 'auth/approle/role/x', 'auth/nothing/here',
];

const request = (path: string, operation: LogicalRequest['operation']): LogicalRequest => ({ id: 'r', operation, path, data: {}, token: undefined, namespace: undefined, remoteAddress: '' });

describe('access control routes, loaded on first use', () => {
  it('are never reached for a path that needsAccessRoutes leaves out', async () => {
    const store = createMemoryStore();
    const dynamic = createDynamicLoader({ report: () => undefined });
    const options = { random: (n: number) => new Uint8Array(randomBytes(n)), dynamic, access: createAccessRouteLoader() };
    const reachedUnloaded: string[] = [];
    for (const path of paths) {
      for (const operation of ['read', 'list', 'update', 'delete'] as const) {
        await store.read((storage) => {
          try {
            routeRequest({ storage, request: request(path, operation), now: Date.now(), caller: undefined }, options);
          } catch (error) {
            if (String(error).includes('before they were loaded') && !needsAccessRoutes(path)) reachedUnloaded.push(`${operation} ${path}`);
          }
        });
      }
    }
    expect(reachedUnloaded).toEqual([]);
    expect(paths.filter((path) => needsAccessRoutes(path))).toEqual([
      'sys/mounts/auth/userpass/tune', 'sys/mounts/auth/other', 'sys/internal/ui/mounts', 'sys/health', 'sys/seal-status',
      'sys/policies/acl', 'sys/policies/acl/app', 'sys/policy', 'sys/policy/app', 'sys/capabilities', 'sys/capabilities-self', 'sys/capabilities-accessor',
      'sys/auth', 'sys/auth/userpass', 'sys/auth/userpass/tune', 'sys/audit', 'sys/audit/file', 'sys/audit-hash/file', 'sys/unknown',
      'auth/token/lookup-self', 'auth/token/create', 'auth/userpass/login/bob', 'auth/approle/role/x', 'auth/nothing/here',
    ]);
    await dynamic.close();
  });

  it('are loaded by the handler before a request that needs them, and serve it', async () => {
    const handler = createApiHandler({ store: createMemoryStore() });
    const body = Buffer.from(JSON.stringify({ policy: 'path "secret/*" { capabilities = ["read"] }' }));
    const wire = (method: string, path: string, payload = Buffer.alloc(0)) => ({ method, path, query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: payload, remoteAddress: '', remotePort: 0 });
    expect((await handler(wire('PUT', '/v1/sys/policies/acl/app', body))).status).toBe(204);
    const read = await handler(wire('GET', '/v1/sys/policies/acl/app'));
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body.toString()).data.name).toBe('app');
  });
});
