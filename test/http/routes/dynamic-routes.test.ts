import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { roleKey } from '../../../src/database/database-keys.js';
import type { LogicalRequest } from '../../../src/http/logical.js';
import { createAccessRouteLoader } from '../../../src/http/access-route-loader.js';
import { existenceOf } from '../../../src/http/router.js';
import { enableMount } from '../../../src/sys/mounts.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';

const request = (path: string, operation: LogicalRequest['operation'] = 'update'): LogicalRequest => ({ id: 'r', operation, path, data: {}, token: undefined, namespace: undefined, remoteAddress: '' });

describe('existence checks of database paths (create vs update for the ACL)', () => {
  it('answers for config/, roles/ and static-roles/ only', async () => {
    const store = createMemoryStore();
    const access = createAccessRouteLoader();
    await store.update((storage) => {
      const mount = enableMount(storage, 'db', { type: 'database' }, (n) => new Uint8Array(randomBytes(n)));
      storage.put(roleKey(mount.uuid, 'app'), { db_name: 'x', creation_statements: [] });
    });
    await store.read((storage) => {
      expect(existenceOf(storage, request('db/roles/app'), access)).toBe(true);
      expect(existenceOf(storage, request('db/roles/other'), access)).toBe(false);
      expect(existenceOf(storage, request('db/config/main'), access)).toBe(false);
      expect(existenceOf(storage, request('db/static-roles/app'), access)).toBe(false);
      expect(existenceOf(storage, request('db/rotate-root/main'), access)).toBeUndefined();
      expect(existenceOf(storage, request('db/constructor/x'), access)).toBeUndefined();
      expect(existenceOf(storage, request('db/roles/app', 'read'), access)).toBeUndefined();
    });
  });
});
