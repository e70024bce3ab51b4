import { describe, expect, it } from 'vitest';
import { writeData } from '../../src/kv/kv-v2-data.js';
import { disableMount, enableMount, readMounts, tuneMount } from '../../src/sys/mounts.js';
import { findMount } from '../../src/sys/mount-resolver.js';
import { kvVersionOf } from '../../src/sys/mounts.js';
import type { RandomBytes } from '../../src/sys/mounts.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Storage } from '../../src/store/storage.js';
import { errorOf, t0 } from '../kv/kv-harness.js';

// Deterministic "randomness": a counter, so ids differ between calls but tests stay exact.
function counterRandom(): RandomBytes {
  let next = 0;
  return (length) => Uint8Array.from({ length }, () => next++ % 256);
}

function harness() {
  const store = createMemoryStore();
  const random = counterRandom();
  return {
    random,
    run: <T>(fn: (storage: Storage) => T) => store.update(fn),
    keys: () => store.read((storage) => storage.list('')),
  };
}

describe('the default mounts table', () => {
  it('has secret/ as kv v2 and the system mount', async () => {
    const m = harness();
    const table = await m.run((s) => readMounts(s));
    expect(Object.keys(table)).toEqual(['secret/', 'sys/']);
    expect(table['secret/']).toMatchObject({
      type: 'kv',
      description: 'key/value secret storage',
      options: { version: '2' },
      config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
      local: false,
      seal_wrap: false,
      external_entropy_access: false,
      plugin_version: '',
      running_sha256: '',
      deprecation_status: 'supported',
    });
    expect(table['secret/']?.accessor).toMatch(/^kv_[0-9a-f]{8}$/);
    expect(table['sys/']?.type).toBe('system');
    // Stable across reads even though nothing was written.
    expect(await m.run((s) => readMounts(s))).toEqual(table);
  });
});

describe('enableMount', () => {
  it('mounts kv v2 via the kv-v2 alias with a fresh uuid and accessor', async () => {
    const m = harness();
    const mount = await m.run((s) => enableMount(s, '/team-a', { type: 'kv-v2', description: 'team A' }, m.random));
    expect(mount).toMatchObject({ type: 'kv', description: 'team A', options: { version: '2' } });
    expect(mount.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(mount.accessor).toMatch(/^kv_[0-9a-f]{8}$/);
    const table = await m.run((s) => readMounts(s));
    expect(Object.keys(table)).toEqual(['secret/', 'sys/', 'team-a/']);
    expect(kvVersionOf(table['team-a/']!)).toBe(2);
  });

  it.each([
    ['kv-v1', undefined, '1', 1],
    ['kv', { version: '2' }, '2', 2],
    ['kv', { version: 1 }, '1', 1],
  ] as const)('type %s with options %j → version %s', async (type, options, version, kv) => {
    const m = harness();
    const mount = await m.run((s) => enableMount(s, 'x', { type, options }, m.random));
    expect(mount.options?.version).toBe(version);
    expect(kvVersionOf(mount)).toBe(kv);
  });

  it('treats plain kv without a version as v1', async () => {
    const m = harness();
    const mount = await m.run((s) => enableMount(s, 'plain/', { type: 'kv' }, m.random));
    expect(mount.options).toBeNull();
    expect(kvVersionOf(mount)).toBe(1);
  });

  it('refuses conflicting, nested and enclosing paths', async () => {
    const m = harness();
    await m.run((s) => enableMount(s, 'apps/team', { type: 'kv-v2' }, m.random));
    for (const [path, existing] of [
      ['secret', 'secret/'],
      ['secret/inner', 'secret/'],
      ['apps', 'apps/team/'],
      ['apps/team/x', 'apps/team/'],
    ]) {
      const error = await errorOf(() => m.run((s) => enableMount(s, path!, { type: 'kv' }, m.random)));
      expect(error.code).toBe('invalid_request');
      expect(error.message).toBe(`path is already in use at ${existing}`);
    }
  });

  it('refuses the system paths, unknown types and bad versions', async () => {
    const m = harness();
    expect((await errorOf(() => m.run((s) => enableMount(s, 'sys', { type: 'kv' }, m.random)))).message).toBe('cannot mount "sys/"');
    expect((await errorOf(() => m.run((s) => enableMount(s, 'sys/x', { type: 'kv' }, m.random)))).message).toBe('cannot mount "sys/x/"');
    expect((await errorOf(() => m.run((s) => enableMount(s, 'x', { type: 'transit' }, m.random)))).message).toBe(
      'plugin not found in the catalog: transit',
    );
    expect((await errorOf(() => m.run((s) => enableMount(s, 'x', { type: 'kv', options: { version: '3' } }, m.random)))).code).toBe(
      'invalid_request',
    );
    expect((await errorOf(() => m.run((s) => enableMount(s, '/', { type: 'kv' }, m.random)))).code).toBe('invalid_request');
    expect(await m.keys()).toEqual([]);
  });
});

describe('disableMount', () => {
  it('removes the mount and all of its data, nothing else', async () => {
    const m = harness();
    const mount = await m.run((s) => enableMount(s, 'gone', { type: 'kv-v2' }, m.random));
    const secret = await m.run((s) => readMounts(s)['secret/']!);
    await m.run((s) => writeData({ storage: s, uuid: mount.uuid }, 'k', { data: { a: 1 } }, t0));
    await m.run((s) => writeData({ storage: s, uuid: secret.uuid }, 'k', { data: { a: 1 } }, t0));
    expect(await m.run((s) => disableMount(s, 'gone/'))).toBe(true);
    const keys = await m.keys();
    expect(keys.some((k) => k.includes(mount.uuid))).toBe(false);
    expect(keys.some((k) => k.includes(secret.uuid))).toBe(true);
    expect(Object.keys(await m.run((s) => readMounts(s)))).toEqual(['secret/', 'sys/']);
    expect(await m.run((s) => disableMount(s, 'gone'))).toBe(false);
  });

  it('can disable secret/ but never sys/', async () => {
    const m = harness();
    expect(await m.run((s) => disableMount(s, 'secret'))).toBe(true);
    expect(Object.keys(await m.run((s) => readMounts(s)))).toEqual(['sys/']);
    expect((await errorOf(() => m.run((s) => disableMount(s, 'sys/')))).message).toBe('cannot unmount "sys/"');
  });
});

describe('tuneMount', () => {
  it('changes the description and lease TTLs', async () => {
    const m = harness();
    const tuned = await m.run((s) => tuneMount(s, 'secret', { description: 'mine', default_lease_ttl: 60 }));
    expect(tuned).toMatchObject({ description: 'mine', config: { default_lease_ttl: 60 } });
    expect((await m.run((s) => readMounts(s)))['secret/']?.description).toBe('mine');
  });

  it('refuses switching KV versions and unknown mounts', async () => {
    const m = harness();
    await m.run((s) => enableMount(s, 'old', { type: 'kv-v1' }, m.random));
    const up = await errorOf(() => m.run((s) => tuneMount(s, 'old', { options: { version: '2' } })));
    expect(up.code).toBe('invalid_request');
    expect(up.message).toMatch(/^changing the KV version of old\/ from 1 to 2 is not supported/);
    expect((await errorOf(() => m.run((s) => tuneMount(s, 'secret', { options: { version: '1' } })))).code).toBe('invalid_request');
    expect((await errorOf(() => m.run((s) => tuneMount(s, 'nope', { description: 'x' })))).code).toBe('invalid_request');
    // Restating the current version is fine.
    await m.run((s) => tuneMount(s, 'secret', { options: { version: '2' } }));
  });
});

describe('findMount', () => {
  it('picks the longest prefix and splits off the rest', async () => {
    const m = harness();
    await m.run((s) => enableMount(s, 'apps', { type: 'kv-v2' }, m.random));
    const table = await m.run((s) => readMounts(s));
    expect(findMount(table, 'secret/data/foo')).toMatchObject({ path: 'secret/', rest: 'data/foo' });
    expect(findMount(table, 'secret')).toMatchObject({ path: 'secret/', rest: '' });
    expect(findMount(table, '/apps/metadata/')).toMatchObject({ path: 'apps/', rest: 'metadata/' });
    expect(findMount(table, 'secretive/x')).toBeUndefined();
    expect(findMount(table, 'sys/mounts')?.mount.type).toBe('system');
  });
});
