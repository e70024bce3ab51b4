import { describe, expect, it } from 'vitest';
import { createAuthorizer, type AuthorizeRequest } from '../../src/auth/authorize.js';
import type { Caller } from '../../src/auth/token-record.js';
import { createRootToken, issueToken } from '../../src/auth/token-store.js';
import { isSecretrunError } from '../../src/errors.js';
import type { Operation } from '../../src/auth/policy.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { writePolicyText } from '../../src/sys/policies.js';

const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 13 + n) % 256);

async function setup() {
  const store = createMemoryStore();
  let clock = 1_000;
  const authorize = createAuthorizer({ now: () => clock });
  await store.update((storage) =>
    writePolicyText(
      storage,
      'app',
      `path "secret/data/app/*" { capabilities = ["read", "create"] }
       path "secret/data/params" { capabilities = ["update"] allowed_parameters = { "data" = [] } }`,
      'r1',
    ),
  );
  const root = await store.update((storage) => createRootToken(storage, { now: 0, random }, 'root-token'));
  const app = await store.update((storage) => issueToken(storage, { id: 'app-token', policies: ['app', 'default'], displayName: 'token', path: 'auth/token/create', ttl: 60 }, { now: 0, random }).caller);
  // The answer of authorize: 'allowed', or the refusal's message.
  const decide = (caller: Caller | undefined, operation: Operation, path: string, options: { existing?: boolean; data?: Record<string, never>; token?: string } = {}) =>
    store.read((storage) => {
      const request: AuthorizeRequest = { operation, path, data: options.data ?? {}, token: options.token, remoteAddress: '127.0.0.1' };
      try {
        authorize(request, caller, storage, options.existing);
        return 'allowed';
      } catch (error) {
        if (isSecretrunError(error)) return `${error.code}: ${error.message}`;
        throw error;
      }
    });
  return { decide, root, app, advance: (ms: number) => (clock += ms) };
}

const denied = 'permission_denied: 1 error occurred:\n\t* permission denied\n\n';

describe('authorize', () => {
  it('lets root do anything and holds other tokens to their policies', async () => {
    const { decide, root, app } = await setup();
    expect(await decide(root, 'delete', 'sys/anything')).toBe('allowed');
    expect(await decide(app, 'read', 'secret/data/app/db')).toBe('allowed');
    expect(await decide(app, 'read', 'secret/data/other')).toBe(denied);
    expect(await decide(app, 'read', 'auth/token/lookup-self')).toBe('allowed');
  });

  it('turns an update of something missing into a create, as the existence check says', async () => {
    const { decide, app } = await setup();
    expect(await decide(app, 'update', 'secret/data/app/new', { existing: false })).toBe('allowed');
    expect(await decide(app, 'update', 'secret/data/app/old', { existing: true })).toBe(denied);
  });

  it('checks the request data against parameter constraints', async () => {
    const { decide, app } = await setup();
    expect(await decide(app, 'update', 'secret/data/params', { data: { data: {} } as never })).toBe('allowed');
    expect(await decide(app, 'update', 'secret/data/params', { data: { options: {} } as never })).toBe(denied);
  });

  it('lets unauthenticated paths through without a caller', async () => {
    const { decide } = await setup();
    expect(await decide(undefined, 'update', 'auth/userpass/login/alice')).toBe('allowed');
  });

  it('authorises the mount preflight itself, from the token in the request', async () => {
    const { decide, advance } = await setup();
    const preflight = (path: string, token?: string) => decide(undefined, 'read', `sys/internal/ui/mounts/${path}`, token === undefined ? {} : { token });
    expect(await preflight('secret/app/db', 'app-token')).toBe('allowed');
    expect(await preflight('secret/app/db', 'root-token')).toBe('allowed');
    expect(await preflight('cubbyhole/x', 'app-token')).toBe('allowed'); // no such mount: the route answers
    expect(await preflight('secret/app/db')).toBe('permission_denied: permission denied');
    expect(await preflight('secret/app/db', 'not-a-token')).toBe('permission_denied: permission denied');
    advance(120_000);
    expect(await preflight('secret/app/db', 'app-token')).toBe('permission_denied: permission denied');
  });

  it('holds the preflight\'s token to its bound CIDRs, as every other use of it', async () => {
    const store = createMemoryStore();
    const authorize = createAuthorizer({ now: () => 0 });
    await store.update((storage) => {
      writePolicyText(storage, 'app', 'path "secret/data/app/*" { capabilities = ["read"] }', 'r1');
      issueToken(storage, { id: 'bound', policies: ['app'], displayName: 'token', path: 'auth/token/create', ttl: 60, boundCidrs: ['10.0.0.0/8'] }, { now: 0, random });
    });
    const preflight = (remoteAddress: string) =>
      store.read((storage) => {
        try {
          authorize({ operation: 'read', path: 'sys/internal/ui/mounts/secret/app/db', data: {}, token: 'bound', remoteAddress }, undefined, storage, undefined);
          return 'allowed';
        } catch (error) {
          return isSecretrunError(error) ? error.message : String(error);
        }
      });
    expect(await preflight('10.1.2.3')).toBe('allowed');
    expect(await preflight('127.0.0.1')).toBe('permission denied');
  });

  it('gives the preflight text when the token reaches nothing under the mount', async () => {
    const store = createMemoryStore();
    const authorize = createAuthorizer({ now: () => 0 });
    await store.update((storage) => {
      writePolicyText(storage, 'elsewhere', 'path "other/*" { capabilities = ["read"] }', 'r1');
      issueToken(storage, { id: 't', policies: ['elsewhere'], displayName: 'token', path: 'auth/token/create', ttl: 60 }, { now: 0, random });
    });
    const refusal = await store.read((storage) => {
      try {
        authorize({ operation: 'read', path: 'sys/internal/ui/mounts/secret/app/db', data: {}, token: 't', remoteAddress: '127.0.0.1' }, undefined, storage, undefined);
        return 'allowed';
      } catch (error) {
        return isSecretrunError(error) ? error.message : String(error);
      }
    });
    expect(refusal).toBe('preflight capability check returned 403, please ensure client\'s policies grant access to path "secret/app/db/"');
  });
});
