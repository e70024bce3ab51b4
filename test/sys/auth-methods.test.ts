import { describe, expect, it } from 'vitest';
import { isSecretrunError } from '../../src/errors.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { disableAuthMethod, effectiveLeaseTtls, enableAuthMethod, findAuthMethod, readAuthMethods, tuneAuthMethod } from '../../src/sys/auth-methods.js';

const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) % 256);

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (isSecretrunError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'accepted';
}

describe('the auth method table', () => {
  it('has token/ built in, and enables userpass and approle at any free path', async () => {
    const store = createMemoryStore();
    expect(Object.keys(await store.read((storage) => readAuthMethods(storage)))).toEqual(['token/']);
    const userpass = await store.update((storage) => enableAuthMethod(storage, '/userpass/', { type: 'userpass', description: 'people' }, random));
    await store.update((storage) => enableAuthMethod(storage, 'ci/approle', { type: 'approle', config: { default_lease_ttl: '1h', max_lease_ttl: 7200 } }, random));
    const table = await store.read((storage) => readAuthMethods(storage));
    expect(Object.keys(table).sort()).toEqual(['ci/approle/', 'token/', 'userpass/']);
    expect(userpass).toMatchObject({ type: 'userpass', description: 'people', accessor: expect.stringMatching(/^auth_userpass_[0-9a-f]{8}$/) });
    expect(effectiveLeaseTtls(table['ci/approle/']!)).toEqual({ defaultTtl: 3600, maxTtl: 7200 });
    expect(effectiveLeaseTtls(table['userpass/']!)).toEqual({ defaultTtl: 2764800, maxTtl: 2764800 });
    expect(findAuthMethod(table, 'ci/approle/role/x/secret-id')).toMatchObject({ path: 'ci/approle/', rest: 'role/x/secret-id' });
    expect(findAuthMethod(table, 'userpass/login/alice')?.rest).toBe('login/alice');
    expect(findAuthMethod(table, 'nope/login')).toBeUndefined();
  });

  it('refuses what Vault refuses, with its words', async () => {
    const store = createMemoryStore();
    await store.update((storage) => enableAuthMethod(storage, 'userpass', { type: 'userpass' }, random));
    const enable = (path: string, input: Record<string, unknown>) => refusal(() => store.update((storage) => enableAuthMethod(storage, path, input, random)));
    expect(await enable('userpass', { type: 'userpass' })).toBe('invalid_request: path is already in use at userpass/');
    expect(await enable('userpass/more', { type: 'approle' })).toBe('invalid_request: path is already in use at userpass/');
    expect(await enable('token2', { type: 'token' })).toBe('invalid_request: token credential backend cannot be instantiated');
    expect(await enable('ldap', { type: 'ldap' })).toBe('invalid_request: plugin not found in the catalog: ldap');
    expect(await enable('x', {})).toBe('invalid_request: backend type must be specified as a string');
    expect(await enable('x', { type: 'userpass', options: { version: '2' } })).toBe('invalid_request: auth method "userpass" does not allow setting a version');
    expect(await enable('x', { type: 'userpass', config: { default_lease_ttl: '2h', max_lease_ttl: '1h' } })).toBe('invalid_request: given default lease TTL greater than given max lease TTL');
    expect(await enable('x', { type: 'userpass', config: { default_lease_ttl: 'soon' } })).toBe('invalid_request: unable to parse default TTL of soon: use seconds or a duration such as 24h');
    expect(await enable('x', { type: 'userpass', config: { token_type: 'batch' } })).toContain('token_type "batch" is not supported');
    expect(await refusal(() => store.update((storage) => disableAuthMethod(storage, 'token')))).toBe('invalid_request: token credential backend cannot be disabled');
  });

  it('disables a method with everything it stored, and tunes what can be tuned', async () => {
    const store = createMemoryStore();
    const method = await store.update((storage) => enableAuthMethod(storage, 'userpass', { type: 'userpass' }, random));
    await store.update((storage) => {
      storage.put(`auth/${method.uuid}/user/alice`, { password_hash: 'x' });
      storage.put(`sys/auth-state/${method.uuid}/thing`, 1);
      storage.put('auth/other-uuid/user/bob', { password_hash: 'y' });
    });
    const tuned = await store.update((storage) => tuneAuthMethod(storage, 'userpass', { description: 'tuned', default_lease_ttl: '30m', token_type: 'service' }));
    expect(tuned.config).toMatchObject({ default_lease_ttl: 1800, max_lease_ttl: 0, token_type: 'service' });
    expect(await store.update((storage) => disableAuthMethod(storage, 'userpass'))).toBe(true);
    expect(await store.update((storage) => disableAuthMethod(storage, 'userpass'))).toBe(false);
    await store.read((storage) => {
      expect(storage.list(`auth/${method.uuid}/`)).toEqual([]);
      expect(storage.list('sys/auth-state/')).toEqual([]);
      expect(storage.list('auth/other-uuid/')).toEqual(['auth/other-uuid/user/bob']);
    });
    expect(await refusal(() => store.update((storage) => tuneAuthMethod(storage, 'userpass', {})))).toBe('invalid_request: cannot fetch sysview for path "auth/userpass/"');
  });
});
