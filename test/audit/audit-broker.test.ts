// Audit devices behind the real handler over a store: what each line holds (Vault's entry
// shape), what is hashed and what stays clear, and how the device options change that.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditBroker } from '../../src/audit/audit-broker.js';
import { createTokenAuthenticator } from '../../src/auth/token-auth.js';
import { createRootToken } from '../../src/auth/token-store.js';
import { createApiHandler } from '../../src/http/handler.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/storage.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

type Entry = Record<string, any>;

// A server-side handler (token checks, audit) over `store`, as start-server.ts assembles it.
function createServer(store: Store, stdout: (text: string) => void = () => {}) {
  const reports: string[] = [];
  const broker = createAuditBroker({ stdout, report: (line) => void reports.push(line) });
  const handler = createApiHandler({ store, authenticate: createTokenAuthenticator(), audit: broker });
  return { broker, handler, reports };
}

async function setUp(stdout?: (text: string) => void) {
  const store = createMemoryStore();
  const root = await store.update((storage) => createRootToken(storage, { now: Date.now(), random }));
  const server = createServer(store, stdout);
  const send = async (method: string, path: string, body?: unknown, token = root.token) => {
    const response = await server.handler({
      method,
      path: `/v1/${path}`,
      query: new URLSearchParams(),
      headers: { 'x-vault-token': token, 'content-type': 'application/json' },
      body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      remoteAddress: '127.0.0.9',
      remotePort: 40123,
    });
    return { status: response.status, body: response.body, json: response.body === '' ? undefined : (JSON.parse(response.body) as Entry) };
  };
  const dir = makeTempDir();
  const enable = async (name: string, options: Record<string, string>) => {
    const response = await send('PUT', `sys/audit/${name}`, { type: 'file', options });
    expect(response.status, response.body).toBe(204);
  };
  const hash = async (device: string, input: string): Promise<string> => (await send('PUT', `sys/audit-hash/${device}`, { input })).json?.['data']?.['hash'];
  return { store, root, ...server, send, dir, enable, hash };
}

function linesOf(path: string): Entry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Entry);
}

describe('audit devices behind the handler', () => {
  it('write nothing while no device is enabled', async () => {
    const { send, dir } = await setUp();
    expect((await send('PUT', 'secret/data/app', { data: { a: '1' } })).status).toBe(200);
    expect(existsSync(join(dir, 'audit.log'))).toBe(false);
  });

  it('write Vault\'s test entry when a device is enabled, then list it', async () => {
    const { send, dir, enable } = await setUp();
    const log = join(dir, 'audit.log');
    await enable('file', { file_path: log });
    const [test, ...rest] = linesOf(log);
    expect(rest).toEqual([]);
    expect(Object.keys(test!)).toEqual(['time', 'auth', 'request', 'type']);
    expect(test).toMatchObject({ type: 'request', auth: { token_type: 'default' }, request: { operation: 'update', path: 'sys/audit/test', namespace: { id: 'root' } } });
    const list = await send('GET', 'sys/audit');
    expect(list.json?.['data']).toEqual({ 'file/': { description: '', local: false, options: { file_path: log }, path: 'file/', type: 'file' } });
    // The legacy sys/ shape: the devices at the top level too.
    expect(list.json?.['file/']).toEqual(list.json?.['data']['file/']);
  });

  it('record a request and its response in Vault\'s entry shape, every secret and token hashed', async () => {
    const { send, dir, enable, hash, root } = await setUp();
    const log = join(dir, 'audit.log');
    await enable('file', { file_path: log });
    const put = await send('PUT', 'secret/data/app', { data: { password: 'pw-distinct-5d1e', pin: 4711 }, options: { cas: 0 } });
    expect(put.status).toBe(200);
    const lines = linesOf(log).slice(1);
    expect(lines.map((line) => line['type'])).toEqual(['request', 'response']);
    const [request, response] = lines as [Entry, Entry];
    expect(Object.keys(request)).toEqual(['time', 'auth', 'request', 'type']);
    expect(Object.keys(response)).toEqual(['time', 'auth', 'request', 'response', 'type']);
    expect(request['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    expect(request['request']['id']).toBe(put.json?.['request_id']);
    expect(response['request']).toEqual(request['request']);
    expect(request['request']).toEqual({
      client_token: await hash('file', root.token),
      client_token_accessor: await hash('file', root.record.accessor),
      data: { data: { password: await hash('file', 'pw-distinct-5d1e'), pin: await hash('file', '4711') }, options: { cas: await hash('file', '0') } },
      id: put.json?.['request_id'],
      mount_accessor: 'kv_5ec8e7a0',
      mount_class: 'secret',
      mount_point: 'secret/',
      mount_running_version: 'v0.26.2+builtin',
      mount_type: 'kv',
      namespace: { id: 'root' },
      operation: 'update',
      path: 'secret/data/app',
      remote_address: '127.0.0.9',
      remote_port: 40123,
    });
    expect(Object.keys(request['request'])).toEqual(Object.keys(request['request']).sort());
    expect(request['auth']).toEqual({
      accessor: await hash('file', root.record.accessor),
      client_token: await hash('file', root.token),
      display_name: 'root',
      policies: ['root'],
      policy_results: { allowed: true, granting_policies: [{ name: 'root', namespace_id: 'root', type: 'acl' }] },
      token_policies: ['root'],
      token_issue_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      token_type: 'service',
    });
    expect(response['response']).toMatchObject({
      data: { version: 1, destroyed: false, created_time: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/) },
      mount_point: 'secret/',
      mount_running_plugin_version: 'v0.26.2+builtin',
      mount_type: 'kv',
    });
    expect(readFileSync(log, 'utf8')).not.toContain('pw-distinct-5d1e');
    expect(readFileSync(log, 'utf8')).not.toContain(root.token);
  });

  it('hash the numbers of a stored secret in a read but not the metadata beside it', async () => {
    const { send, dir, enable, hash } = await setUp();
    const log = join(dir, 'audit.log');
    await send('PUT', 'secret/data/app', { data: { pin: 4711, name: 'n-8a2c' } });
    await enable('file', { file_path: log });
    expect((await send('GET', 'secret/data/app')).status).toBe(200);
    const response = linesOf(log).at(-1)!;
    expect(response['response']['data']['data']).toEqual({ pin: await hash('file', '4711'), name: await hash('file', 'n-8a2c') });
    expect(response['response']['data']['metadata']).toMatchObject({ version: 1, destroyed: false });
    expect(readFileSync(log, 'utf8')).not.toMatch(/n-8a2c|4711/);
  });

  it('hash a token created for someone else, in the response and in that token\'s own requests', async () => {
    const { send, dir, enable, hash } = await setUp();
    const log = join(dir, 'audit.log');
    await enable('file', { file_path: log });
    const created = await send('PUT', 'auth/token/create', { policies: ['default'], display_name: 'ci' });
    expect(created.status).toBe(200);
    const child = created.json?.['auth'];
    expect((await send('GET', 'auth/token/lookup-self', undefined, child['client_token'])).status).toBe(200);
    const text = readFileSync(log, 'utf8');
    expect(text).not.toContain(child['client_token']);
    expect(text).not.toContain(child['accessor']);
    const lines = linesOf(log);
    const createdLine = lines.find((line) => line['type'] === 'response' && line['request']['path'] === 'auth/token/create')!;
    expect(createdLine['response']['auth']).toMatchObject({
      client_token: await hash('file', child['client_token']),
      accessor: await hash('file', child['accessor']),
      policies: ['default'],
      token_type: 'service',
    });
    expect(createdLine['request']).toMatchObject({ mount_point: 'auth/token/', mount_type: 'token', mount_class: 'auth' });
    const lookup = lines.find((line) => line['type'] === 'response' && line['request']['path'] === 'auth/token/lookup-self')!;
    expect(lookup['auth']).toMatchObject({ client_token: await hash('file', child['client_token']), accessor: await hash('file', child['accessor']), policies: ['default'] });
    // The lookup answers with the token itself: hashed in the response data too.
    expect(lookup['response']['data']['id']).toBe(await hash('file', child['client_token']));
  });

  it('record the uses a use-limited token has left after the request', async () => {
    const { send, dir, enable } = await setUp();
    const log = join(dir, 'audit.log');
    await enable('file', { file_path: log });
    const created = await send('PUT', 'auth/token/create', { policies: ['default'], num_uses: 3 });
    const token = created.json?.['auth']['client_token'] as string;
    expect((await send('GET', 'auth/token/lookup-self', undefined, token)).status).toBe(200);
    expect((await send('GET', 'auth/token/lookup-self', undefined, token)).status).toBe(200);
    const lookups = linesOf(log).filter((line) => line['type'] === 'request' && line['request']['path'] === 'auth/token/lookup-self');
    expect(lookups.map((line) => line['auth']['remaining_uses'])).toEqual([2, 1]);
  });

  it('record a refused request twice with its error, the token it presented hashed', async () => {
    const { send, dir, enable, hash } = await setUp();
    const log = join(dir, 'audit.log');
    await enable('file', { file_path: log });
    const bad = 'hvs.not-a-real-token-7f3e';
    expect((await send('GET', 'secret/data/app', undefined, bad)).status).toBe(403);
    const [request, response] = linesOf(log).slice(1) as [Entry, Entry];
    expect(request).toMatchObject({ type: 'request', error: 'permission denied', auth: { token_type: 'default' }, request: { path: 'secret/data/app', client_token: await hash('file', bad) } });
    expect(response).toMatchObject({ type: 'response', error: 'permission denied', response: { mount_type: 'kv' } });
    expect(Object.keys(response)).toEqual(['time', 'auth', 'error', 'request', 'response', 'type']);
    expect(readFileSync(log, 'utf8')).not.toContain(bad);
  });

  it('record a request refused on its head, before its body was read', async () => {
    const { handler, dir, enable, hash } = await setUp();
    const log = join(dir, 'audit.log');
    await enable('file', { file_path: log });
    const bad = 'hvs.bad-token-before-body-2c7a';
    const refused = await handler.admit?.({ method: 'PUT', path: '/v1/secret/data/big', query: new URLSearchParams(), headers: { 'x-vault-token': bad }, remoteAddress: '127.0.0.9', remotePort: 1 });
    expect(refused?.status).toBe(403);
    expect(linesOf(log).slice(1)).toEqual([
      expect.objectContaining({ type: 'request', error: 'permission denied', request: expect.objectContaining({ path: 'secret/data/big', client_token: await hash('file', bad) }) }),
      expect.objectContaining({ type: 'response', error: 'permission denied' }),
    ]);
  });

  it('record what a request was refused for, and a server failure only as internal error', async () => {
    const { send, dir, enable } = await setUp();
    const log = join(dir, 'audit.log');
    await enable('file', { file_path: log });
    await send('PUT', 'secret/data/app', { data: { a: '1' }, options: { cas: 5 } });
    expect(linesOf(log).at(-1)).toMatchObject({ type: 'response', error: 'check-and-set parameter did not match the current version' });
    await send('GET', 'nowhere/at/all');
    expect(linesOf(log).at(-1)).toMatchObject({ type: 'response', error: 'no handler for route "nowhere/at/all". route entry not found.' });
  });

  it('leave accessors clear with hmac_accessor=false, everything clear with log_raw, and start lines with the prefix', async () => {
    const { send, dir, enable, root } = await setUp();
    await enable('clear-accessor', { file_path: join(dir, 'a.log'), hmac_accessor: 'false' });
    await enable('raw', { file_path: join(dir, 'raw.log'), log_raw: 'true', prefix: 'AUDIT: ' });
    await send('PUT', 'secret/data/app', { data: { a: 'v-19bf' } });
    const accessorLine = linesOf(join(dir, 'a.log')).at(-1)!;
    expect(accessorLine['auth']['accessor']).toBe(root.record.accessor);
    expect(accessorLine['request']['client_token_accessor']).toBe(root.record.accessor);
    expect(accessorLine['auth']['client_token']).toMatch(/^hmac-sha256:/);
    const rawText = readFileSync(join(dir, 'raw.log'), 'utf8');
    const rawLines = rawText.split('\n').filter((line) => line !== '');
    expect(rawLines.every((line) => line.startsWith('AUDIT: {'))).toBe(true);
    const raw = JSON.parse(rawLines.at(-1)!.slice('AUDIT: '.length)) as Entry;
    expect(raw['request']['data']).toEqual({ data: { a: 'v-19bf' } });
    expect(raw['auth']['client_token']).toBe(root.token);
  });

  it('log the number of keys of a list with elide_list_responses', async () => {
    const { send, dir, enable } = await setUp();
    await send('PUT', 'secret/data/team/a', { data: { a: '1' } });
    await send('PUT', 'secret/data/team/b', { data: { a: '1' } });
    await enable('file', { file_path: join(dir, 'audit.log'), elide_list_responses: 'true' });
    expect((await send('LIST', 'secret/metadata/team')).status).toBe(200);
    expect(linesOf(join(dir, 'audit.log')).at(-1)!['response']['data']).toEqual({ keys: 2 });
  });

  it('answer sys/audit-hash with the hash the device writes, and refuse an empty input or an unknown device', async () => {
    const { send, dir, enable } = await setUp();
    await enable('file', { file_path: join(dir, 'audit.log') });
    expect((await send('PUT', 'sys/audit-hash/file', { input: 'x' })).json?.['data']).toEqual({ hash: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/) });
    expect(await send('PUT', 'sys/audit-hash/file', { input: '' })).toMatchObject({ status: 400, json: { errors: ['the "input" parameter is empty'] } });
    expect(await send('PUT', 'sys/audit-hash/other', { input: 'x' })).toMatchObject({ status: 400, json: { errors: ['unknown audit backend "other/"'] } });
  });

  it('answer enable and disable as Vault does', async () => {
    const { send, dir, enable } = await setUp();
    await enable('file', { file_path: join(dir, 'audit.log') });
    expect(await send('PUT', 'sys/audit/file', { type: 'file', options: { file_path: join(dir, 'b.log') } })).toMatchObject({ status: 400, json: { errors: ['path already in use'] } });
    expect(await send('PUT', 'sys/audit/sock', { type: 'socket', options: { address: '127.0.0.1:9090' } })).toMatchObject({ status: 400, json: { errors: ['unknown backend type: "socket"'] } });
    expect(await send('PUT', 'sys/audit/nofile', { type: 'file' })).toMatchObject({ status: 400, json: { errors: ['"file_path" is required: invalid configuration'] } });
    expect((await send('GET', 'sys/audit/file')).status).toBe(405);
    expect((await send('DELETE', 'sys/audit/file')).status).toBe(204);
    expect((await send('DELETE', 'sys/audit/file')).status).toBe(204);
    expect((await send('GET', 'sys/audit')).json?.['data']).toEqual({});
  });

  it('refuse to enable a device that cannot write, and store nothing', async () => {
    const { send, dir } = await setUp();
    const inside = join(dir, 'audit.log', 'x.log');
    await send('PUT', 'sys/audit/ok', { type: 'file', options: { file_path: join(dir, 'audit.log') } });
    const refused = await send('PUT', 'sys/audit/bad', { type: 'file', options: { file_path: inside } });
    expect(refused.status).toBe(400);
    expect(refused.json?.['errors']).toEqual([expect.stringMatching(/^audit backend failed test message: cannot open audit log file .*: not a directory \(ENOTDIR/)]);
    const full = await send('PUT', 'sys/audit/full', { type: 'file', options: { file_path: '/dev/full' } });
    expect(full.json?.['errors']).toEqual([expect.stringMatching(/^audit backend failed test message: cannot write audit log file \/dev\/full: disk full \(ENOSPC/)]);
    expect(Object.keys((await send('GET', 'sys/audit')).json?.['data'])).toEqual(['ok/']);
  });

  it('follow devices enabled and disabled by another process sharing the store', async () => {
    const { store, send, dir } = await setUp();
    const otherToken = 'other-process-root-token';
    await store.update((storage) => createRootToken(storage, { now: Date.now(), random }, otherToken));
    const otherSend = async (method: string, path: string, body?: unknown) =>
      (await createServer(store).handler({ method, path: `/v1/${path}`, query: new URLSearchParams(), headers: { 'x-vault-token': otherToken }, body: Buffer.from(body === undefined ? '' : JSON.stringify(body)), remoteAddress: '', remotePort: 0 })).status;
    const log = join(dir, 'audit.log');
    expect(await otherSend('PUT', 'sys/audit/file', { type: 'file', options: { file_path: log } })).toBe(204);
    await send('GET', 'secret/data/app');
    expect(linesOf(log).map((line) => `${line['type']} ${line['request']['path']}`)).toEqual(['request sys/audit/test', 'request secret/data/app', 'response secret/data/app']);
    // The other process records its own disable, then nothing more is written.
    expect(await otherSend('DELETE', 'sys/audit/file')).toBe(204);
    expect(linesOf(log).slice(3).map((line) => `${line['type']} ${line['request']['path']}`)).toEqual(['request sys/audit/file', 'response sys/audit/file']);
    await send('GET', 'secret/data/app');
    expect(linesOf(log)).toHaveLength(5);
  });

  it('write a device with file_path=- to the process\'s stdout', async () => {
    const out: string[] = [];
    const { send, enable } = await setUp((text) => void out.push(text));
    await enable('stdout', { file_path: '-' });
    await send('GET', 'sys/mounts');
    const lines = out.join('').split(/(?<=\n)/);
    expect(lines.map((line) => JSON.parse(line)['type'])).toEqual(['request', 'request', 'response']);
    expect(lines.every((line) => line.endsWith('}\n'))).toBe(true);
  });

  it('append the lines of reads answered in one turn together, and refuse them all when that append fails', async () => {
    const out: string[] = [];
    let failing = false;
    const { send, enable } = await setUp((text) => {
      if (failing) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      out.push(text);
    });
    await enable('stdout', { file_path: '-' });
    out.length = 0;
    const answers = await Promise.all([send('GET', 'sys/mounts'), send('GET', 'sys/mounts'), send('GET', 'sys/policy')]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(out).toHaveLength(1);
    expect(out[0]?.split(/(?<=\n)/).map((line) => JSON.parse(line)['type'])).toEqual(['request', 'response', 'request', 'response', 'request', 'response']);
    failing = true;
    const refused = await Promise.all([send('GET', 'sys/mounts'), send('GET', 'sys/policy')]);
    expect(refused.map((answer) => [answer.status, answer.json?.['errors']])).toEqual([
      [500, ['internal error']],
      [500, ['internal error']],
    ]);
  });

  it('append a read\'s request and response lines together, and a write\'s request line before it is served', async () => {
    const out: string[] = [];
    const { send, enable } = await setUp((text) => void out.push(text));
    await enable('stdout', { file_path: '-' });
    out.length = 0;
    await send('GET', 'sys/mounts');
    expect(out).toHaveLength(1);
    expect(out[0]?.split(/(?<=\n)/).map((line) => JSON.parse(line)['type'])).toEqual(['request', 'response']);
    out.length = 0;
    await send('PUT', 'secret/data/app', { data: { a: '1' } });
    expect(out.map((chunk) => JSON.parse(chunk)['type'])).toEqual(['request', 'response']);
  });
});
