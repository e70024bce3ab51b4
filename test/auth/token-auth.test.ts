import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenAuthenticator, type AuthRequest } from '../../src/auth/token-auth.js';
import { isUnauthenticatedPath } from '../../src/auth/unauthenticated-paths.js';
import { enableAuthMethod } from '../../src/sys/auth-methods.js';
import { readStoredRecord } from '../../src/auth/token-record.js';
import { createRootToken, issueToken } from '../../src/auth/token-store.js';
import { isSecretrunError } from '../../src/errors.js';
import type { Storage } from '../../src/store/storage.js';
import { createMemoryStore } from '../../src/store/memory-store.js';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

async function setup() {
  const store = createMemoryStore();
  const clock = { now: 0, random };
  const root = await store.update((storage) => createRootToken(storage, clock, 'root-token'));
  const plain = await store.update((storage) => issueToken(storage, { id: 'plain-token', policies: ['default', 'dev'], displayName: 'token', path: 'auth/token/create', ttl: 3600 }, clock).caller);
  const authenticate = createTokenAuthenticator({ unauthenticated: (request) => request.path.startsWith('auth/userpass/login/') || request.path === 'auth/token/create' });
  const attempt = (fn: () => string): string => {
    try {
      return fn();
    } catch (error) {
      if (isSecretrunError(error)) return `${error.code}: ${error.message}`;
      throw error;
    }
  };
  const check = (operation: string, path: string, token: string | undefined, { at = 1_000, address = '127.0.0.1' } = {}) =>
    store.read((storage) =>
      attempt(() => {
        const caller = authenticate({ operation, path, token }, storage, at, { transaction: false, remoteAddress: address });
        if (caller === undefined) return 'anonymous';
        return caller.record.display_name;
      }),
    );
  const inTransaction = (request: AuthRequest, at = 1_000) => (storage: Storage) => authenticate(request, storage, at, { transaction: true, remoteAddress: '127.0.0.1' });
  return { store, root, plain, check, authenticate, inTransaction, clock };
}

describe('createTokenAuthenticator', () => {
  it('lets root tokens through and refuses missing, unknown and expired tokens alike', async () => {
    const { check } = await setup();
    expect(await check('read', 'secret/data/x', 'root-token')).toBe('root');
    expect(await check('update', 'sys/mounts/kv', 'root-token')).toBe('root');
    for (const token of [undefined, '', 'root-tokeN']) expect(await check('read', 'secret/data/x', token)).toBe('permission_denied: permission denied');
    expect(await check('read', 'auth/token/lookup-self', 'plain-token', { at: 3_600_000 })).toBe('permission_denied: permission denied');
  });

  it('serves health, seal status and the paths it is told are open without a token', async () => {
    const { check } = await setup();
    expect(await check('read', 'sys/health', undefined)).toBe('anonymous');
    expect(await check('read', 'sys/seal-status', undefined)).toBe('anonymous');
    expect(await check('update', 'auth/userpass/login/alice', 'not-a-token')).toBe('anonymous');
    // Never a token store path: without a caller its routes would act as the local key holder.
    expect(await check('update', 'auth/token/create', undefined)).toBe('permission_denied: permission denied');
  });

  it('refuses a token used from outside its bound CIDRs', async () => {
    const { store, check, clock } = await setup();
    await store.update((storage) => issueToken(storage, { id: 'bound', policies: ['root'], displayName: 'token', path: 'auth/token/create', ttl: 60, boundCidrs: ['10.0.0.0/8'] }, clock));
    expect(await check('read', 'secret/data/x', 'bound', { address: '10.1.2.3' })).toBe('token');
    expect(await check('read', 'secret/data/x', 'bound', { address: '::ffff:10.1.2.3' })).toBe('token');
    expect(await check('read', 'secret/data/x', 'bound', { address: '192.168.0.1' })).toBe('permission_denied: permission denied');
  });

  it('spends a use-limited token only in a transaction, and revokes it with its children after the last use', async () => {
    const { store, authenticate, inTransaction, clock } = await setup();
    const limited = await store.update((storage) => issueToken(storage, { id: 'twice', policies: ['root'], displayName: 'token', path: 'auth/token/create', ttl: 60, numUses: 2 }, clock).caller);
    await store.update((storage) => issueToken(storage, { id: 'child', policies: ['default'], displayName: 'token', path: 'auth/token/create', ttl: 60, parent: limited.record }, clock));
    const request = { operation: 'read', path: 'secret/data/x', token: 'twice' };
    const inRead = await store.read((storage) => authenticate(request, storage, 1_000, { transaction: false, remoteAddress: '' }));
    expect(inRead).toMatchObject({ useLimited: true, needsTransaction: true, record: { num_uses: 2 } });
    expect((await store.update(inTransaction(request)))?.record.num_uses).toBe(1);
    const last = await store.update(inTransaction(request));
    expect(last).toMatchObject({ useLimited: true, record: { num_uses: -1 } });
    expect(await store.read((storage) => [readStoredRecord(storage, 'twice'), readStoredRecord(storage, 'child')])).toEqual([undefined, undefined]);
    await expect(store.update(inTransaction(request))).rejects.toThrow('permission denied');
  });
});

describe('the paths the auth table opens', () => {
  it('serves login paths of enabled methods and the mount preflight without a token, and nothing else', async () => {
    const store = createMemoryStore();
    const clock = { now: 0, random };
    await store.update((storage) => {
      enableAuthMethod(storage, 'userpass', { type: 'userpass' }, random);
      enableAuthMethod(storage, 'ci/approle', { type: 'approle' }, random);
      createRootToken(storage, clock, 'root-token');
    });
    const authenticate = createTokenAuthenticator({ unauthenticated: (request, storage) => isUnauthenticatedPath(storage, request.path) });
    const check = (operation: string, path: string) =>
      store.read((storage) => {
        try {
          return authenticate({ operation, path, token: undefined }, storage, 1_000, { transaction: false, remoteAddress: '127.0.0.1' }) === undefined ? 'anonymous' : 'caller';
        } catch (error) {
          if (isSecretrunError(error)) return `${error.code}: ${error.message}`;
          throw error;
        }
      });
    expect(await check('update', 'auth/userpass/login/alice')).toBe('anonymous');
    expect(await check('update', 'auth/ci/approle/login')).toBe('anonymous');
    expect(await check('read', 'sys/internal/ui/mounts/secret/foo')).toBe('anonymous');
    // Their other paths, and login paths of methods that are not enabled, need a token.
    expect(await check('update', 'auth/userpass/users/alice')).toBe('permission_denied: permission denied');
    expect(await check('update', 'auth/ci/approle/role/x')).toBe('permission_denied: permission denied');
    expect(await check('update', 'auth/other/login/alice')).toBe('permission_denied: permission denied');
    expect(await check('update', 'auth/token/create')).toBe('permission_denied: permission denied');
  });
});
