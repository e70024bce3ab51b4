// node-vault from npm, unmodified, against `secretrun server`: its token calls (create,
// create-orphan, lookups, renewals, revocations, the accessor list) as its users make them.
import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../e2e/run-cli.js';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=nv-root'], createSandbox().env);
});

afterAll(async () => {
  await server?.stop();
});

type Auth = { auth: { client_token: string; accessor: string; policies: string[]; lease_duration: number; orphan: boolean; renewable: boolean } };
type Lookup = { data: { id: string; accessor: string; policies: string[]; ttl: number; orphan: boolean; num_uses: number } };

// A root client: node-vault adopts the token of a create response, so each call gets its own.
const root = () => vault({ endpoint: server.url, token: 'nv-root' });

describe('node-vault token calls against secretrun server', () => {
  it('creates tokens and children, looks them up by token, accessor and self', async () => {
    const created = (await root().tokenCreate({ policies: ['dev'], ttl: '1h', meta: { app: 'nv' } })) as Auth;
    expect(created.auth).toMatchObject({ policies: ['default', 'dev'], lease_duration: 3600, renewable: true, orphan: false });
    const token = created.auth.client_token;
    const looked = ((await root().tokenLookup({ token })) as Lookup).data;
    expect(looked).toMatchObject({ id: token, policies: ['default', 'dev'] });
    // Whole seconds left, counted from now rounded to the second.
    expect(looked.ttl).toBeGreaterThanOrEqual(3599);
    expect(((await root().tokenLookupAccessor({ accessor: created.auth.accessor })) as Lookup).data).toMatchObject({ id: '', accessor: created.auth.accessor });
    const self = vault({ endpoint: server.url, token });
    expect(((await self.tokenLookupSelf()) as Lookup).data).toMatchObject({ id: token, orphan: false });
    const orphan = (await root().tokenCreateOrphan({ ttl: '1h' })) as Auth;
    expect(orphan.auth.orphan).toBe(true);
    const listed = (await root().tokenAccessors()) as { data: { keys: string[] } };
    expect(listed.data.keys).toEqual(expect.arrayContaining([created.auth.accessor, orphan.auth.accessor]));
  });

  it('renews a token and the caller\'s own, and revokes by token, accessor, self and orphan', async () => {
    const make = async (body: Record<string, unknown> = { ttl: '1h' }) => ((await root().tokenCreate(body)) as Auth).auth;
    const one = await make();
    expect(((await root().tokenRenew({ token: one.client_token, increment: '2h' })) as Auth).auth.lease_duration).toBe(7200);
    const own = vault({ endpoint: server.url, token: one.client_token });
    expect(((await own.tokenRenewSelf({ increment: 600 })) as Auth).auth.lease_duration).toBe(600);
    await own.tokenRevokeSelf();
    await expect(own.tokenLookupSelf()).rejects.toMatchObject({ response: { statusCode: 403 } });

    const two = await make();
    await root().tokenRevoke({ token: two.client_token });
    await expect(root().tokenLookup({ token: two.client_token })).rejects.toThrow('bad token');

    const three = await make();
    await root().tokenRevokeAccessor({ accessor: three.accessor });
    await expect(vault({ endpoint: server.url, token: three.client_token }).tokenLookupSelf()).rejects.toThrow('permission denied');

    const parent = await make({ ttl: '1h', policies: ['root'] });
    const child = ((await vault({ endpoint: server.url, token: parent.client_token }).tokenCreate({ ttl: '1h' })) as Auth).auth;
    await root().tokenRevokeOrphan({ token: parent.client_token });
    expect(((await root().tokenLookup({ token: child.client_token })) as Lookup).data.orphan).toBe(true);
  });

  it('spends a use-limited token exactly', async () => {
    const limited = ((await root().tokenCreate({ ttl: '1h', num_uses: 2 })) as Auth).auth.client_token;
    const client = vault({ endpoint: server.url, token: limited });
    expect(((await client.tokenLookupSelf()) as Lookup).data.num_uses).toBe(1);
    expect(((await client.tokenLookupSelf()) as Lookup).data.num_uses).toBe(-1);
    await expect(client.tokenLookupSelf()).rejects.toThrow('permission denied');
  });
});
