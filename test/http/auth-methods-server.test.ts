// Auth methods through `secretrun server`: the auth table (sys/auth), userpass users and
// logins, and AppRole roles, secret-ids and logins, as Vault's clients call them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../e2e/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

let server: ServerProcess;
const rootToken = 'methods-root';

interface Reply {
  status: number;
  json: Record<string, unknown> | undefined;
}

async function send(method: string, path: string, body?: unknown, token: string | undefined = rootToken): Promise<Reply> {
  const headers: Record<string, string> = token === undefined ? {} : { 'X-Vault-Token': token };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${server.url}/v1/${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

const dataOf = (reply: Reply): Record<string, unknown> => reply.json?.['data'] as Record<string, unknown>;
const authOf = (reply: Reply): Record<string, unknown> => reply.json?.['auth'] as Record<string, unknown>;

beforeAll(async () => {
  server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${rootToken}`], createSandbox().env);
  await send('PUT', 'sys/policies/acl/reader', { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' });
  await send('PUT', 'secret/data/app/db', { data: { password: 'db-secret-1' } });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('sys/auth', () => {
  it('lists, enables, reads, tunes and disables methods, with data copied to the top level', async () => {
    const table = await send('GET', 'sys/auth');
    expect(dataOf(table)['token/']).toMatchObject({ type: 'token', description: 'token based credentials' });
    expect(table.json?.['token/']).toEqual(dataOf(table)['token/']);
    expect((await send('POST', 'sys/auth/people', { type: 'userpass', description: 'humans', config: { default_lease_ttl: '1h', max_lease_ttl: '0s' } })).status).toBe(204);
    expect(dataOf(await send('GET', 'sys/auth/people'))).toMatchObject({ type: 'userpass', description: 'humans', config: { default_lease_ttl: 3600, max_lease_ttl: 0 } });
    expect(dataOf(await send('GET', 'sys/auth/people/tune'))).toEqual({ default_lease_ttl: 3600, description: 'humans', force_no_cache: false, max_lease_ttl: 2764800, token_type: 'default-service' });
    // The vault CLI's `auth tune` posts to sys/mounts/auth/<path>/tune.
    expect((await send('POST', 'sys/mounts/auth/people/tune', { default_lease_ttl: '30m', description: 'tuned' })).status).toBe(204);
    expect(dataOf(await send('GET', 'sys/auth/people/tune'))).toMatchObject({ default_lease_ttl: 1800, description: 'tuned' });
    expect(await send('POST', 'sys/auth/people/sub', { type: 'approle' })).toEqual({ status: 400, json: { errors: ['path is already in use at people/'] } });
    expect((await send('DELETE', 'sys/auth/people')).status).toBe(204);
    expect(Object.keys(dataOf(await send('GET', 'sys/auth')))).toEqual(['token/']);
    expect(await send('GET', 'auth/people/users/x')).toEqual({ status: 404, json: { errors: ['no handler for route "auth/people/users/x". route entry not found.'] } });
  });
});

describe('userpass', () => {
  it('creates, reads, lists, updates and deletes users, never showing a password or its hash', async () => {
    await send('POST', 'sys/auth/userpass', { type: 'userpass' });
    expect(await send('POST', 'auth/userpass/users/Alice', { policies: 'reader' })).toEqual({ status: 400, json: { errors: ['missing password'] } });
    expect((await send('POST', 'auth/userpass/users/Alice', { password: 'alice-pass-1', policies: 'Reader', token_ttl: '1h' })).status).toBe(204);
    const read = await send('GET', 'auth/userpass/users/alice');
    expect(dataOf(read)).toEqual({
      policies: ['reader'],
      token_bound_cidrs: [],
      token_explicit_max_ttl: 0,
      token_max_ttl: 0,
      token_no_default_policy: false,
      token_num_uses: 0,
      token_period: 0,
      token_policies: ['reader'],
      token_ttl: 3600,
      token_type: 'default',
    });
    expect(JSON.stringify(read.json)).not.toContain('alice-pass-1');
    expect(JSON.stringify(read.json)).not.toContain('scrypt');
    await send('POST', 'auth/userpass/users/bob', { password: 'bob-pass-1' });
    expect(dataOf(await send('LIST', 'auth/userpass/users'))).toEqual({ keys: ['alice', 'bob'] });
    expect((await send('POST', 'auth/userpass/users/bob', { token_policies: 'reader,other' })).status).toBe(204);
    expect(dataOf(await send('GET', 'auth/userpass/users/bob'))).toMatchObject({ token_policies: ['reader', 'other'] });
    expect(dataOf(await send('GET', 'auth/userpass/users/bob'))).not.toHaveProperty('policies');
    expect((await send('DELETE', 'auth/userpass/users/bob')).status).toBe(204);
    expect((await send('GET', 'auth/userpass/users/bob')).status).toBe(404);
    expect(await send('POST', 'auth/userpass/users/bob/password', { password: 'x' })).toEqual({ status: 400, json: { errors: ['username does not exist'] } });
  });

  it('logs a user in with a token of its policies, and refuses a wrong password and an unknown user alike', async () => {
    await send('POST', 'auth/userpass/users/carol', { password: 'carol-pass-1', policies: 'reader' });
    const login = await send('POST', 'auth/userpass/login/Carol', { password: 'carol-pass-1' }, undefined);
    expect(login.status).toBe(200);
    expect(authOf(login)).toMatchObject({ policies: ['default', 'reader'], token_policies: ['default', 'reader'], metadata: { username: 'carol' }, renewable: true, lease_duration: 2764800 });
    const token = authOf(login)['client_token'] as string;
    expect(dataOf(await send('GET', 'auth/token/lookup-self', undefined, token))).toMatchObject({ display_name: 'userpass-carol', path: 'auth/userpass/login/Carol', policies: ['default', 'reader'] });
    expect(dataOf(await send('GET', 'secret/data/app/db', undefined, token))).toMatchObject({ data: { password: 'db-secret-1' } });
    expect((await send('PUT', 'secret/data/app/db', { data: { password: 'x' } }, token)).status).toBe(403);
    const wrong = await send('POST', 'auth/userpass/login/carol', { password: 'carol-pass-2' }, undefined);
    const unknown = await send('POST', 'auth/userpass/login/nobody', { password: 'carol-pass-1' }, undefined);
    expect(wrong).toEqual({ status: 400, json: { errors: ['invalid username or password'] } });
    expect(unknown).toEqual(wrong);
    expect(await send('POST', 'auth/userpass/login/carol', {}, undefined)).toEqual({ status: 400, json: { errors: ['missing password'] } });
  });

  it('changes a password and policies through their own paths', async () => {
    await send('POST', 'auth/userpass/users/dave', { password: 'dave-pass-1' });
    expect((await send('POST', 'auth/userpass/users/dave/password', { password: 'dave-pass-2' })).status).toBe(204);
    expect((await send('POST', 'auth/userpass/login/dave', { password: 'dave-pass-1' }, undefined)).status).toBe(400);
    expect((await send('POST', 'auth/userpass/login/dave', { password: 'dave-pass-2' }, undefined)).status).toBe(200);
    expect((await send('POST', 'auth/userpass/users/dave/policies', { token_policies: 'reader' })).status).toBe(204);
    expect(authOf(await send('POST', 'auth/userpass/login/dave', { password: 'dave-pass-2' }, undefined))['policies']).toEqual(['default', 'reader']);
  });

  it('gives login tokens the user\'s use limit, address binding, period and max TTL', async () => {
    await send('POST', 'auth/userpass/users/gina', { password: 'gina-pass-1', token_num_uses: 2, token_bound_cidrs: '127.0.0.1/32,::1/128', token_max_ttl: '1h' });
    const login = await send('POST', 'auth/userpass/login/gina', { password: 'gina-pass-1' }, undefined);
    expect(authOf(login)).toMatchObject({ num_uses: 2, lease_duration: 3600 });
    const token = authOf(login)['client_token'] as string;
    expect(dataOf(await send('GET', 'auth/token/lookup-self', undefined, token))).toMatchObject({ num_uses: 1, bound_cidrs: ['127.0.0.1/32', '::1/128'] });
    expect((await send('GET', 'auth/token/lookup-self', undefined, token)).status).toBe(200);
    expect((await send('GET', 'auth/token/lookup-self', undefined, token)).status).toBe(403);
    await send('POST', 'auth/userpass/users/hank', { password: 'hank-pass-1', token_period: '10m' });
    const periodic = authOf(await send('POST', 'auth/userpass/login/hank', { password: 'hank-pass-1' }, undefined));
    expect(periodic).toMatchObject({ lease_duration: 600, renewable: true });
    expect(dataOf(await send('GET', 'auth/token/lookup-self', undefined, periodic['client_token'] as string))).toMatchObject({ period: 600 });
  });

  it('refuses a login from outside the user\'s token_bound_cidrs', async () => {
    await send('POST', 'auth/userpass/users/erin', { password: 'erin-pass-1', token_bound_cidrs: '10.0.0.0/8' });
    expect(await send('POST', 'auth/userpass/login/erin', { password: 'erin-pass-1' }, undefined)).toEqual({ status: 403, json: { errors: ['permission denied'] } });
    expect(await send('POST', 'auth/userpass/users/erin', { token_bound_cidrs: 'not-a-cidr' })).toEqual({
      status: 400,
      json: { errors: ['invalid CIDR in token_bound_cidrs: "not-a-cidr" (use an address or address/prefix, e.g. 10.0.0.0/8)'] },
    });
  });
});

describe('approle', () => {
  it('issues role-ids and secret-ids, logs in with them, and spends secret-id uses', async () => {
    await send('POST', 'sys/auth/approle', { type: 'approle' });
    expect((await send('POST', 'auth/approle/role/CI', { token_policies: 'reader', secret_id_num_uses: 2, token_ttl: '20m' })).status).toBe(204);
    expect(dataOf(await send('GET', 'auth/approle/role/ci'))).toMatchObject({ bind_secret_id: true, secret_id_num_uses: 2, token_policies: ['reader'], token_ttl: 1200, secret_id_bound_cidrs: [] });
    expect(dataOf(await send('LIST', 'auth/approle/role'))).toEqual({ keys: ['ci'] });
    const roleId = dataOf(await send('GET', 'auth/approle/role/ci/role-id'))['role_id'] as string;
    expect(roleId).toMatch(/^[0-9a-f-]{36}$/);
    const issued = dataOf(await send('POST', 'auth/approle/role/ci/secret-id', {}));
    expect(issued).toMatchObject({ secret_id: expect.stringMatching(/^[0-9a-f-]{36}$/), secret_id_accessor: expect.stringMatching(/^[0-9a-f-]{36}$/), secret_id_num_uses: 2, secret_id_ttl: 0 });
    const login = () => send('POST', 'auth/approle/login', { role_id: roleId, secret_id: issued['secret_id'] }, undefined);
    const first = await login();
    expect(authOf(first)).toMatchObject({ policies: ['default', 'reader'], metadata: { role_name: 'ci' }, lease_duration: 1200, renewable: true });
    const token = authOf(first)['client_token'] as string;
    expect(dataOf(await send('GET', 'auth/token/lookup-self', undefined, token))).toMatchObject({ display_name: 'approle', path: 'auth/approle/login' });
    expect(dataOf(await send('POST', 'auth/approle/role/ci/secret-id/lookup', { secret_id: issued['secret_id'] }))).toMatchObject({ secret_id_num_uses: 1 });
    expect((await login()).status).toBe(200);
    expect(await login()).toEqual({ status: 400, json: { errors: ['invalid role or secret ID'] } });
    expect(await send('POST', 'auth/approle/login', { role_id: 'nope', secret_id: 'x' }, undefined)).toEqual({ status: 400, json: { errors: ['invalid role or secret ID'] } });
    expect(await send('POST', 'auth/approle/login', { role_id: roleId }, undefined)).toEqual({ status: 400, json: { errors: ['missing secret_id'] } });
    expect(await send('POST', 'auth/approle/login', {}, undefined)).toEqual({ status: 400, json: { errors: ['missing role_id'] } });
  });

  it('takes custom role-ids and secret-ids, looks them up and destroys them, also by accessor', async () => {
    await send('POST', 'auth/approle/role/deploy', { token_policies: 'reader' });
    expect((await send('POST', 'auth/approle/role/deploy/role-id', { role_id: 'deploy-role-id' })).status).toBe(204);
    const custom = dataOf(await send('POST', 'auth/approle/role/deploy/custom-secret-id', { secret_id: 'deploy-secret-1', metadata: '{"team":"ops"}' }));
    expect(custom).toMatchObject({ secret_id: 'deploy-secret-1' });
    const second = dataOf(await send('POST', 'auth/approle/role/deploy/secret-id', { ttl: '10m' }));
    expect((dataOf(await send('LIST', 'auth/approle/role/deploy/secret-id'))['keys'] as string[]).sort()).toEqual([custom['secret_id_accessor'], second['secret_id_accessor']].sort());
    const byAccessor = dataOf(await send('POST', 'auth/approle/role/deploy/secret-id-accessor/lookup', { secret_id_accessor: second['secret_id_accessor'] }));
    expect(byAccessor).toMatchObject({ secret_id_accessor: second['secret_id_accessor'], secret_id_ttl: 600, metadata: {} });
    expect(byAccessor['expiration_time']).not.toBe('0001-01-01T00:00:00Z');
    const login = await send('POST', 'auth/approle/login', { role_id: 'deploy-role-id', secret_id: 'deploy-secret-1' }, undefined);
    expect(authOf(login)['metadata']).toEqual({ role_name: 'deploy', team: 'ops' });
    expect((await send('POST', 'auth/approle/role/deploy/secret-id/destroy', { secret_id: 'deploy-secret-1' })).status).toBe(204);
    expect((await send('POST', 'auth/approle/login', { role_id: 'deploy-role-id', secret_id: 'deploy-secret-1' }, undefined)).status).toBe(400);
    expect((await send('POST', 'auth/approle/role/deploy/secret-id-accessor/destroy', { secret_id_accessor: second['secret_id_accessor'] })).status).toBe(204);
    expect((await send('POST', 'auth/approle/login', { role_id: 'deploy-role-id', secret_id: second['secret_id'] }, undefined)).status).toBe(400);
    expect(await send('POST', 'auth/approle/role/deploy/custom-secret-id', { secret_id: '' })).toEqual({ status: 400, json: { errors: ['missing secret_id'] } });
    expect((await send('POST', 'auth/approle/role/other', { role_id: 'deploy-role-id' })).json).toEqual({ errors: ['role_id already in use'] });
  });

  it('expires secret-ids at their TTL', async () => {
    await send('POST', 'auth/approle/role/short', { token_policies: 'reader', secret_id_ttl: '1s' });
    const roleId = dataOf(await send('GET', 'auth/approle/role/short/role-id'))['role_id'];
    const issued = dataOf(await send('POST', 'auth/approle/role/short/secret-id', {}));
    expect(issued['secret_id_ttl']).toBe(1);
    expect(await send('POST', 'auth/approle/role/short/secret-id', { ttl: '2s' })).toEqual({ status: 400, json: { errors: ["ttl cannot be longer than the role's secret_id_ttl"] } });
    await waitFor('the secret-id to expire', async () => (await send('POST', 'auth/approle/role/short/secret-id/lookup', { secret_id: issued['secret_id'] })).status === 204);
    expect(await send('POST', 'auth/approle/login', { role_id: roleId, secret_id: issued['secret_id'] }, undefined)).toEqual({ status: 400, json: { errors: ['invalid role or secret ID'] } });
  });

  it('binds logins to CIDR blocks of the role and of the secret-id', async () => {
    expect(await send('POST', 'auth/approle/role/open', { bind_secret_id: false })).toEqual({ status: 400, json: { errors: ['at least one constraint should be enabled on the role'] } });
    await send('POST', 'auth/approle/role/local', { bind_secret_id: false, secret_id_bound_cidrs: '127.0.0.0/8', token_policies: 'reader' });
    const localId = dataOf(await send('GET', 'auth/approle/role/local/role-id'))['role_id'];
    expect((await send('POST', 'auth/approle/login', { role_id: localId }, undefined)).status).toBe(200);
    await send('POST', 'auth/approle/role/remote', { secret_id_bound_cidrs: '10.0.0.0/8' });
    const remoteId = dataOf(await send('GET', 'auth/approle/role/remote/role-id'))['role_id'];
    const remoteSecret = dataOf(await send('POST', 'auth/approle/role/remote/secret-id', {}))['secret_id'];
    const refused = await send('POST', 'auth/approle/login', { role_id: remoteId, secret_id: remoteSecret }, undefined);
    expect(refused.status).toBe(400);
    expect((refused.json?.['errors'] as string[])[0]).toMatch(/^source address ".*127\.0\.0\.1" unauthorized by CIDR restrictions on the role$/);
    expect(await send('POST', 'auth/approle/role/remote/secret-id', { cidr_list: '192.168.0.0/16' })).toEqual({
      status: 400,
      json: { errors: ["failed to verify the CIDR restrictions set on the secret ID: cidr_list must lie within the role's secret_id_bound_cidrs"] },
    });
    await send('POST', 'auth/approle/role/pinned', { token_policies: 'reader' });
    const pinnedId = dataOf(await send('GET', 'auth/approle/role/pinned/role-id'))['role_id'];
    const pinnedSecret = dataOf(await send('POST', 'auth/approle/role/pinned/secret-id', { cidr_list: '10.1.0.0/16' }))['secret_id'];
    const pinned = await send('POST', 'auth/approle/login', { role_id: pinnedId, secret_id: pinnedSecret }, undefined);
    expect((pinned.json?.['errors'] as string[])[0]).toMatch(/unauthorized through CIDR restrictions on the secret ID$/);
  });
});
