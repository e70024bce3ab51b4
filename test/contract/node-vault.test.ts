// node-vault from npm, unmodified, against `secretrun server -dev`: the calls its users make.
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

type Body = { data: { data: Record<string, unknown>; metadata: { version: number } } & { keys: string[] } };

describe('node-vault against secretrun server', () => {
  it('writes, reads, patches (update), lists with LIST and GET ?list=1, and deletes', async () => {
    const client = vault({ endpoint: server.url, token: 'nv-root' });
    await client.write('secret/data/nv/app', { data: { user: 'app', port: 5432 } });
    await client.write('secret/data/nv/other', { data: { x: 'y' } });
    const read = (await client.read('secret/data/nv/app')) as Body;
    expect(read.data.data).toEqual({ user: 'app', port: 5432 });
    await client.update('secret/data/nv/app', { data: { port: null, host: 'db' } });
    const patched = (await client.read('secret/data/nv/app')) as Body;
    expect(patched.data.data).toEqual({ user: 'app', host: 'db' });
    expect(patched.data.metadata.version).toBe(2);
    expect(new Set(((await client.list('secret/metadata/nv')) as Body).data.keys)).toEqual(new Set(['app', 'other']));
    const plainVerbs = vault({ endpoint: server.url, token: 'nv-root', noCustomHTTPVerbs: true });
    expect(new Set(((await plainVerbs.list('secret/metadata/nv/')) as Body).data.keys)).toEqual(new Set(['app', 'other']));
    await client.delete('secret/data/nv/app');
    await expect(client.read('secret/data/nv/app')).rejects.toMatchObject({ response: { statusCode: 404 } });
    await client.delete('secret/metadata/nv/app');
    await expect(client.read('secret/data/nv/app')).rejects.toThrow('Status 404');
  });

  it('reports Vault errors the way node-vault users see them', async () => {
    const anonymous = vault({ endpoint: server.url, token: 'wrong' });
    await expect(anonymous.read('secret/data/nv/other')).rejects.toThrow('permission denied');
    const client = vault({ endpoint: server.url, token: 'nv-root' });
    await expect(client.write('secret/data/nv/other', {})).rejects.toThrow('no data provided');
    const status = (await client.health()) as { initialized: boolean; sealed: boolean };
    expect(status).toMatchObject({ initialized: true, sealed: false });
    const self = (await client.tokenLookupSelf()) as { data: { policies: string[]; id: string } };
    expect(self.data).toMatchObject({ policies: ['root'], id: 'nv-root' });
    const mounts = (await client.mounts()) as Record<string, { type: string }>;
    expect(mounts['secret/']?.type).toBe('kv');
  });
});
