import { describe, expect, it } from 'vitest';
import { buildKvTarget, kvApiPath, readKvMount, uiMountsPath } from '../../src/client/kv-mount.js';

describe('the client-side KV mount resolver', () => {
  it('reads the preflight answer: a v2 mount, a v1 mount, a server without the endpoint', () => {
    expect(readKvMount(200, { data: { path: 'secret/', type: 'kv', options: { version: '2' } } })).toEqual({ path: 'secret/', version: 2, type: 'kv' });
    expect(readKvMount(200, { data: { path: 'database/', type: 'database', options: null } })).toEqual({ path: 'database/', version: 1, type: 'database' });
    expect(readKvMount(200, { data: { path: 'old/', type: 'kv', options: null } })).toEqual({ path: 'old/', version: 1, type: 'kv' });
    expect(readKvMount(404, undefined)).toEqual({ path: '', version: 1 });
    expect(readKvMount(403, { errors: ['permission denied'] })).toBeUndefined();
    expect(readKvMount(500, undefined)).toBeUndefined();
  });

  it('splits a path into mount and key and builds the API path of each operation', () => {
    const v2 = buildKvTarget({ path: 'secret/', version: 2 }, 'secret/myapp/db');
    expect(v2).toEqual({ mountPath: 'secret/', version: 2, key: 'myapp/db' });
    expect(kvApiPath(v2, 'data')).toBe('secret/data/myapp/db');
    expect(kvApiPath(v2, 'metadata')).toBe('secret/metadata/myapp/db');
    expect(kvApiPath(buildKvTarget({ path: 'secret/', version: 2 }, 'secret'), 'metadata')).toBe('secret/metadata');
    const v1 = buildKvTarget({ path: 'old/', version: 1 }, 'old/app');
    expect(kvApiPath(v1, 'data')).toBe('old/app');
    expect(uiMountsPath('secret/myapp')).toBe('sys/internal/ui/mounts/secret/myapp');
  });
});
