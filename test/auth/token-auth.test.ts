import { describe, expect, it } from 'vitest';
import { authenticateRequest } from '../../src/auth/token-auth.js';
import { createRootToken, createToken } from '../../src/auth/token-record.js';
import { isSecretrunError } from '../../src/errors.js';
import { createMemoryStore } from '../../src/store/memory-store.js';

const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) % 256);

async function setup() {
  const store = createMemoryStore();
  const root = await store.update((storage) => createRootToken(storage, { now: 0, random }, 'root-token'));
  const plain = await store.update((storage) =>
    createToken(storage, { id: 'plain-token', policies: ['default', 'dev'], displayName: 'token', path: 'auth/token/create', ttl: 3600, renewable: true }, { now: 0, random }),
  );
  const check = (operation: string, path: string, token: string | undefined) =>
    store.read((storage) => {
      try {
        return authenticateRequest({ operation, path, token }, storage, 1_000)?.record.display_name ?? 'anonymous';
      } catch (error) {
        if (isSecretrunError(error)) return `${error.code}: ${error.message}`;
        throw error;
      }
    });
  return { root, plain, check };
}

describe('authenticateRequest', () => {
  it('lets root tokens do anything and refuses missing or unknown tokens', async () => {
    const { check } = await setup();
    expect(await check('read', 'secret/data/x', 'root-token')).toBe('root');
    expect(await check('update', 'sys/mounts/kv', 'root-token')).toBe('root');
    expect(await check('read', 'secret/data/x', undefined)).toBe('permission_denied: permission denied');
    expect(await check('read', 'secret/data/x', '')).toBe('permission_denied: permission denied');
    expect(await check('read', 'secret/data/x', 'root-tokeN')).toBe('permission_denied: permission denied');
  });

  it('serves health and seal status without a token', async () => {
    const { check } = await setup();
    expect(await check('read', 'sys/health', undefined)).toBe('anonymous');
    expect(await check('read', 'sys/seal-status', undefined)).toBe('anonymous');
  });

  it('gives other tokens only the default policy (fail closed until ACL policies exist)', async () => {
    const { check } = await setup();
    expect(await check('read', 'auth/token/lookup-self', 'plain-token')).toBe('token');
    expect(await check('update', 'auth/token/renew-self', 'plain-token')).toBe('token');
    expect(await check('read', 'secret/data/x', 'plain-token')).toBe('permission_denied: 1 error occurred:\n\t* permission denied\n\n');
    expect(await check('update', 'auth/token/lookup-self', 'plain-token')).toContain('permission denied');
    expect(await check('read', 'sys/internal/ui/mounts/secret/foo', 'plain-token')).toBe(
      'permission_denied: preflight capability check returned 403, please ensure client\'s policies grant access to path "secret/foo/"',
    );
  });
});
