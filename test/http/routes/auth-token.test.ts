// auth/token/* through the real handler over a memory store, with the clock in the test's
// hands: Vault's answers for creation, lookup, renewal and revocation, expiry at TTL and max
// TTL, use limits and the tree of tokens.
import { describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../src/auth/authorize.js';
import { createTokenAuthenticator } from '../../../src/auth/token-auth.js';
import { createRootToken } from '../../../src/auth/token-store.js';
import { createApiHandler } from '../../../src/http/handler.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import { randomBytes } from 'node:crypto';

const hour = 3_600_000;

interface Answer {
  status: number;
  body: Record<string, unknown> & { auth?: Record<string, unknown>; data?: Record<string, unknown>; errors?: string[]; warnings?: string[] | null };
}

async function setUp() {
  const store = createMemoryStore();
  let now = Date.UTC(2026, 0, 1);
  await store.update((storage) => createRootToken(storage, { now, random: (n) => new Uint8Array(randomBytes(n)) }, 'root'));
  const handler = createApiHandler({ store, now: () => now, authenticate: createTokenAuthenticator(), authorize: createAuthorizer({ now: () => now }) });
  const send = async (token: string, method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await handler({
      method,
      path: `/v1/${path}`,
      query: new URLSearchParams(),
      headers: { 'x-vault-token': token, 'content-type': 'application/json' },
      body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      remoteAddress: '127.0.0.1',
      remotePort: 1,
    });
    return { status: response.status, body: response.body === '' ? {} : (JSON.parse(response.body) as Answer['body']) };
  };
  const create = async (token: string, body: Record<string, unknown> = {}, path = 'auth/token/create') => {
    const answer = await send(token, 'POST', path, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.auth as { client_token: string; accessor: string; lease_duration: number; policies: string[]; orphan: boolean; renewable: boolean; num_uses: number };
  };
  const works = async (token: string) => (await send(token, 'GET', 'auth/token/lookup-self')).status === 200;
  return { store, send, create, works, advance: (ms: number) => (now += ms), at: () => now };
}

describe('auth/token/create', () => {
  it('answers with Vault\'s auth block: a child of the caller, 768h by default, default policy added', async () => {
    const { send } = await setUp();
    const answer = await send('root', 'POST', 'auth/token/create', { policies: ['dev'], meta: { team: 'a' }, display_name: 'ci' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ data: null, lease_duration: 0, mount_type: 'token' });
    expect(Object.keys(answer.body.auth ?? {})).toEqual([
      'client_token', 'accessor', 'policies', 'token_policies', 'metadata', 'lease_duration', 'renewable', 'entity_id', 'token_type', 'orphan', 'mfa_requirement', 'num_uses',
    ]);
    expect(answer.body.auth).toMatchObject({ policies: ['default', 'dev'], metadata: { team: 'a' }, lease_duration: 768 * 3600, renewable: true, orphan: false, token_type: 'service' });
    const token = String(answer.body.auth?.['client_token']);
    expect(token).toMatch(/^hvs\.[A-Za-z0-9]{24}$/);
    const self = await send(token, 'GET', 'auth/token/lookup-self');
    expect(self.body.data).toMatchObject({ display_name: 'token-ci', path: 'auth/token/create', orphan: false, num_uses: 0, id: token });
  });

  it('caps the TTL at the system max of 768h with Vault\'s warning, and a root child without ttl never expires', async () => {
    const { send, create } = await setUp();
    const long = await send('root', 'POST', 'auth/token/create', { ttl: '1000h' });
    expect(long.body.auth?.['lease_duration']).toBe(768 * 3600);
    expect(long.body.warnings).toEqual(['TTL of "1000h" exceeded the effective max_ttl of "768h"; TTL value is capped accordingly']);
    const forever = await create('root', { policies: ['root'] });
    expect(forever).toMatchObject({ lease_duration: 0, renewable: false });
  });

  it('makes orphans through create-orphan and no_parent, and refuses what needs sudo to other tokens', async () => {
    const { send, create } = await setUp();
    expect((await create('root', {}, 'auth/token/create-orphan')).orphan).toBe(true);
    expect((await create('root', { no_parent: true })).orphan).toBe(true);
    const custom = await create('root', { id: 'my-custom-token', policies: ['dev'] });
    expect(custom.client_token).toBe('my-custom-token');
    expect((await send('root', 'POST', 'auth/token/create', { id: 'my-custom-token' })).body.errors).toEqual(['cannot create a token with a duplicate ID']);
    expect((await send('root', 'POST', 'auth/token/create', { id: 'hvs.x' })).body.errors).toEqual(["custom token ID cannot have the 'hvs.' prefix"]);
    expect((await send('root', 'POST', 'auth/token/create', { num_uses: -1 })).body.errors).toEqual(['number of uses cannot be negative']);
    expect((await send('root', 'POST', 'auth/token/create', { ttl: 'soon' })).status).toBe(400);
  });
});

describe('expiry', () => {
  it('refuses a token at its TTL, and its max TTL caps renewals', async () => {
    const { send, create, works, advance } = await setUp();
    const { client_token: token } = await create('root', { ttl: '1h', explicit_max_ttl: '2h' });
    advance(hour - 1000);
    expect(await works(token)).toBe(true);
    const renewed = await send('root', 'POST', 'auth/token/renew', { token, increment: '1h' });
    expect(renewed.body.auth?.['lease_duration']).toBe(3600);
    advance(hour - 1000);
    // 2s before the max: a renewal gets only what is left, with Vault's warning.
    const capped = await send('root', 'POST', 'auth/token/renew', { token, increment: '1h' });
    expect(capped.body.auth?.['lease_duration']).toBe(2);
    expect(capped.body.warnings).toEqual(['TTL of "1h" exceeded the effective max_ttl of "2s"; TTL value is capped accordingly']);
    advance(2000);
    expect(await works(token)).toBe(false);
    expect(await send(token, 'GET', 'auth/token/lookup-self')).toEqual({ status: 403, body: { errors: ['permission denied'] } });
  });

  it('holds a non-periodic token to 768h from its creation, whatever the renewals', async () => {
    const { send, create, works, advance } = await setUp();
    const { client_token: token } = await create('root', { ttl: '700h' });
    advance(699 * hour);
    expect((await send(token, 'POST', 'auth/token/renew-self', { increment: '700h' })).body.auth?.['lease_duration']).toBe(69 * 3600);
    advance(69 * hour);
    expect(await works(token)).toBe(false);
  });

  it('keeps a periodic token alive as long as it is renewed within its period', async () => {
    const { send, create, works, advance } = await setUp();
    const { client_token: token, lease_duration } = await create('root', { period: '1h' });
    expect(lease_duration).toBe(3600);
    for (let day = 0; day < 40; day += 1) {
      advance(hour - 1000);
      expect((await send(token, 'POST', 'auth/token/renew-self', { increment: '5h' })).body.auth?.['lease_duration']).toBe(3600);
    }
    expect((await send(token, 'GET', 'auth/token/lookup-self')).body.data).toMatchObject({ period: 3600, ttl: 3600 });
    advance(hour);
    expect(await works(token)).toBe(false);
  });
});

describe('renewal', () => {
  it('answers Vault\'s errors: not renewable, no lease, unknown token', async () => {
    const { send, create } = await setUp();
    const fixed = await create('root', { ttl: '1h', renewable: false });
    expect((await send(fixed.client_token, 'POST', 'auth/token/renew-self', {})).body.errors).toEqual(['lease is not renewable']);
    expect((await send('root', 'POST', 'auth/token/renew-self', {})).body.errors).toEqual(['invalid lease ID']);
    const forever = await create('root', { policies: ['root'] });
    expect((await send(forever.client_token, 'POST', 'auth/token/renew-self', {})).body.errors).toEqual(['lease is not renewable']);
    expect(await send('root', 'POST', 'auth/token/renew', { token: 'nope' })).toEqual({ status: 400, body: { errors: ['token not found'] } });
    expect(await send('root', 'POST', 'auth/token/renew', {})).toEqual({ status: 400, body: { errors: ['missing token ID'] } });
  });

  it('renews by accessor without showing the token', async () => {
    const { send, create } = await setUp();
    const { accessor } = await create('root', { ttl: '1h' });
    const renewed = await send('root', 'POST', 'auth/token/renew-accessor', { accessor, increment: 7200 });
    expect(renewed.body.auth).toMatchObject({ client_token: '', accessor, lease_duration: 7200 });
  });
});

describe('lookup and accessors', () => {
  it('looks tokens up by token (403 "bad token" when unknown) and by accessor (id blanked)', async () => {
    const { send, create } = await setUp();
    const { client_token: token, accessor } = await create('root', { ttl: '1h', policies: ['dev'] });
    expect((await send('root', 'POST', 'auth/token/lookup', { token })).body.data).toMatchObject({ id: token, accessor, policies: ['default', 'dev'], ttl: 3600, renewable: true });
    expect(await send('root', 'POST', 'auth/token/lookup', { token: 'nope' })).toEqual({ status: 403, body: { errors: ['bad token'] } });
    expect((await send('root', 'POST', 'auth/token/lookup-accessor', { accessor })).body.data).toMatchObject({ id: '', accessor });
    expect(await send('root', 'POST', 'auth/token/lookup-accessor', { accessor: 'nope' })).toEqual({ status: 400, body: { errors: ['invalid accessor'] } });
    expect(await send('root', 'POST', 'auth/token/lookup-accessor', {})).toEqual({ status: 400, body: { errors: ['missing accessor'] } });
    const listed = await send('root', 'LIST', 'auth/token/accessors');
    expect(listed.body.data?.['keys']).toContain(accessor);
    // Non-root tokens hold only the default policy's self paths until ACL policies are wired.
    expect((await send(token, 'POST', 'auth/token/lookup', { token })).status).toBe(403);
  });

  it('revokes by accessor; an unknown accessor is a warning, not an error', async () => {
    const { send, create, works } = await setUp();
    const { client_token: token, accessor } = await create('root', { ttl: '1h' });
    expect((await send('root', 'POST', 'auth/token/revoke-accessor', { accessor })).status).toBe(204);
    expect(await works(token)).toBe(false);
    const unknown = await send('root', 'POST', 'auth/token/revoke-accessor', { accessor: 'nope' });
    expect(unknown).toMatchObject({ status: 200, body: { warnings: ['No token found with this accessor'] } });
  });
});

describe('the tree of tokens', () => {
  it('a revoked parent takes its children and theirs; orphans and revoke-orphan\'s children survive', async () => {
    const { send, create, works } = await setUp();
    const parent = await create('root', { policies: ['root'], ttl: '1h' });
    const child = await create(parent.client_token, { ttl: '1h' });
    const grandchild = await create(child.client_token, { ttl: '1h' });
    const orphan = await create(parent.client_token, { ttl: '1h', no_parent: true });
    expect(orphan.orphan).toBe(true);
    expect((await send('root', 'POST', 'auth/token/revoke', { token: parent.client_token })).status).toBe(204);
    expect([await works(parent.client_token), await works(child.client_token), await works(grandchild.client_token), await works(orphan.client_token)]).toEqual([false, false, false, true]);
    // Revoking an unknown token is not an error (Vault's revokeCommon).
    expect((await send('root', 'POST', 'auth/token/revoke', { token: parent.client_token })).status).toBe(204);

    const keeper = await create('root', { policies: ['root'], ttl: '1h' });
    const kept = await create(keeper.client_token, { ttl: '1h' });
    expect((await send('root', 'POST', 'auth/token/revoke-orphan', { token: keeper.client_token })).status).toBe(204);
    expect([await works(keeper.client_token), await works(kept.client_token)]).toEqual([false, true]);
    expect((await send('root', 'GET', 'auth/token/lookup-self')).status).toBe(200);
    expect((await send(kept.client_token, 'GET', 'auth/token/lookup-self')).body.data).toMatchObject({ orphan: true });
    expect(await send('root', 'POST', 'auth/token/revoke-orphan', { token: 'nope' })).toEqual({ status: 400, body: { errors: ['token to revoke not found'] } });
  });

  it('a child dies when its parent expires, and with revoke-self', async () => {
    const { send, create, works, advance } = await setUp();
    const parent = await create('root', { policies: ['root'], ttl: '1h' });
    const child = await create(parent.client_token, { ttl: '10h' });
    const other = await create(parent.client_token, { ttl: '10h' });
    expect((await send(other.client_token, 'POST', 'auth/token/revoke-self')).status).toBe(204);
    expect(await works(other.client_token)).toBe(false);
    advance(hour);
    expect(await works(child.client_token)).toBe(false);
  });
});

describe('use limits', () => {
  it('counts every request, refused ones included, and revokes the token after its last use', async () => {
    const { send, create, works } = await setUp();
    const { client_token: token } = await create('root', { ttl: '1h', num_uses: 3, policies: ['dev'] });
    const first = await send(token, 'GET', 'auth/token/lookup-self');
    expect(first.body.data?.['num_uses']).toBe(2);
    // A refused request (no policy grants it) is a use, as in Vault.
    expect((await send(token, 'GET', 'secret/data/x')).status).toBe(403);
    const last = await send(token, 'GET', 'auth/token/lookup-self');
    expect(last.status).toBe(200);
    expect(last.body.data?.['num_uses']).toBe(-1);
    expect(await works(token)).toBe(false);
  });

  it('lets exactly one of several concurrent requests have the last use', async () => {
    const { send, create } = await setUp();
    const { client_token: token } = await create('root', { ttl: '1h', num_uses: 1 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => send(token, 'GET', 'auth/token/lookup-self')));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403, 403, 403, 403, 403, 403, 403]);
  });

  it('refuses children to a use-limited token', async () => {
    const { send, create } = await setUp();
    const { client_token: token } = await create('root', { ttl: '1h', num_uses: 5, policies: ['root'] });
    expect((await send(token, 'POST', 'auth/token/create', {})).body.errors).toEqual(['restricted use token cannot generate child tokens']);
  });
});
