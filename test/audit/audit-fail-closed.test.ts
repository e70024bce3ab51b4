// Vault's blocking rule: once a device is enabled, a request no device can record is refused
// (500, `internal error`) before it is served and nothing is written; a response no device can
// record turns the answer into a 500. The failing device is reported, one line, no values.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditBroker } from '../../src/audit/audit-broker.js';
import { auditSaltKey, readAuditTable } from '../../src/audit/audit-table.js';
import { createTokenAuthenticator } from '../../src/auth/token-auth.js';
import { createRootToken } from '../../src/auth/token-store.js';
import { createApiHandler } from '../../src/http/handler.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const secret = 'fail-closed-secret-3b9d';

async function setUp(stdout: (text: string) => void = () => {}) {
  const store = createMemoryStore();
  const root = await store.update((storage) => createRootToken(storage, { now: Date.now(), random }));
  const reports: string[] = [];
  const broker = createAuditBroker({ stdout, report: (line) => void reports.push(line) });
  const handler = createApiHandler({ store, authenticate: createTokenAuthenticator(), audit: broker });
  // The same store without audit devices: to look at what was stored.
  const plain = createApiHandler({ store, authenticate: createTokenAuthenticator() });
  const request = (method: string, path: string, body?: unknown, token = root.token) => ({
    method,
    path: `/v1/${path}`,
    query: new URLSearchParams(),
    headers: { 'x-vault-token': token, 'content-type': 'application/json' },
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    remoteAddress: '127.0.0.1',
    remotePort: 1,
  });
  const send = (method: string, path: string, body?: unknown, token?: string) => handler(request(method, path, body, token));
  const peek = async (path: string) => (await plain(request('GET', path))).status;
  const dir = makeTempDir();
  // The device writes through a symlink, so a test can point it at /dev/full (a full disk).
  const link = join(dir, 'audit.log');
  const repoint = (target: string): void => {
    unlinkSync(link);
    symlinkSync(target, link);
  };
  symlinkSync(join(dir, 'real.log'), link);
  return { store, root, broker, request, send, peek, reports, dir, link, repoint };
}

describe('fail closed', () => {
  it('refuses a write no device can record, stores nothing, and reports the device', async () => {
    const { broker, send, peek, reports, link, repoint } = await setUp();
    expect((await send('PUT', 'sys/audit/file', { type: 'file', options: { file_path: link } })).status).toBe(204);
    repoint('/dev/full');
    broker.reopen();
    const refused = await send('PUT', 'secret/data/app', { data: { password: secret } });
    expect(refused).toMatchObject({ status: 500, body: '{"errors":["internal error"]}\n' });
    expect(await peek('secret/data/app')).toBe(404);
    expect(reports).toEqual([expect.stringMatching(new RegExp(`^audit device "file/" could not record request [0-9a-f-]{36}: cannot write audit log file ${link}: disk full \\(ENOSPC; free some space and retry\\)$`))]);
    expect(reports.join('\n')).not.toContain(secret);
  });

  it('refuses a read no device can record, without its value, in a process that opens the device', async () => {
    const { store, root, send, request, link, repoint } = await setUp();
    await send('PUT', 'secret/data/app', { data: { password: secret } });
    expect((await send('PUT', 'sys/audit/file', { type: 'file', options: { file_path: link } })).status).toBe(204);
    expect((await send('GET', 'sys/mounts')).status).toBe(200);
    repoint('/dev/full');
    // This process opened the file before: it writes there until told to reopen (SIGHUP).
    expect((await send('GET', 'secret/data/app')).status).toBe(200);
    // Another process opens the device now, as the local CLI does on its first request.
    const reports: string[] = [];
    const other = createApiHandler({ store, authenticate: createTokenAuthenticator(), audit: createAuditBroker({ stdout: () => {}, report: (line) => void reports.push(line) }) });
    const refused = await other(request('GET', 'secret/data/app', undefined, root.token));
    expect(refused).toMatchObject({ status: 500, body: '{"errors":["internal error"]}\n' });
    expect(reports).toEqual([expect.stringContaining('audit device "file/" could not record request')]);
  });

  it('refuses a refused request with 500 when it cannot be recorded either', async () => {
    const { broker, send, link, repoint } = await setUp();
    await send('PUT', 'sys/audit/file', { type: 'file', options: { file_path: link } });
    repoint('/dev/full');
    broker.reopen();
    expect((await send('GET', 'secret/data/app', undefined, 'not-a-token')).status).toBe(500);
  });

  it('serves what one device of two could record, and reports the other', async () => {
    const { broker, send, peek, reports, dir, link, repoint } = await setUp();
    await send('PUT', 'sys/audit/file', { type: 'file', options: { file_path: link } });
    await send('PUT', 'sys/audit/second', { type: 'file', options: { file_path: join(dir, 'second.log') } });
    repoint('/dev/full');
    broker.reopen();
    expect((await send('PUT', 'secret/data/app', { data: { password: secret } })).status).toBe(200);
    expect(await peek('secret/data/app')).toBe(200);
    expect(reports).toHaveLength(2);
    expect(reports.every((line) => line.startsWith('audit device "file/" could not record '))).toBe(true);
    expect(readFileSync(join(dir, 'second.log'), 'utf8')).toContain('"path":"secret/data/app"');
  });

  it('serves again once the device can write (SIGHUP after the disk was freed)', async () => {
    const { broker, send, dir, link, repoint } = await setUp();
    await send('PUT', 'sys/audit/file', { type: 'file', options: { file_path: link } });
    repoint('/dev/full');
    broker.reopen();
    expect((await send('GET', 'sys/mounts')).status).toBe(500);
    repoint(join(dir, 'real.log'));
    broker.reopen();
    expect((await send('GET', 'sys/mounts')).status).toBe(200);
  });

  it('reports a file it cannot reopen on SIGHUP, and refuses until it can write again', async () => {
    const { broker, send, reports, link } = await setUp();
    await send('PUT', 'sys/audit/file', { type: 'file', options: { file_path: link } });
    expect((await send('GET', 'sys/mounts')).status).toBe(200);
    // The rotated path is now a directory: the file cannot be opened again.
    unlinkSync(link);
    mkdirSync(link);
    broker.reopen();
    expect(reports).toEqual([expect.stringMatching(/^audit device "file\/" could not reopen its file after SIGHUP: cannot open audit log file .*: is a directory \(EISDIR/)]);
    expect((await send('GET', 'sys/mounts')).status).toBe(500);
  });

  it('turns the answer into a 500 when the response cannot be recorded, as Vault does', async () => {
    let calls = 0;
    const { send, peek } = await setUp(() => {
      calls += 1;
      // The test entry and the request line go through; the response line does not.
      if (calls === 3) throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' });
    });
    expect((await send('PUT', 'sys/audit/out', { type: 'file', options: { file_path: '-' } })).status).toBe(204);
    expect((await send('PUT', 'secret/data/app', { data: { password: secret } })).status).toBe(500);
    // The write itself was made before its response was refused (Vault's order).
    expect(await peek('secret/data/app')).toBe(200);
  });

  it('refuses requests when a device\'s salt is missing from the store', async () => {
    const { store, send, dir } = await setUp();
    await send('PUT', 'sys/audit/file', { type: 'file', options: { file_path: join(dir, 'other.log') } });
    await store.update((storage) => storage.delete(auditSaltKey(readAuditTable(storage)['file/']!.uuid)));
    // Only a process opening the device meets it: a new broker over the same store.
    const reports: string[] = [];
    const handler = createApiHandler({ store, audit: createAuditBroker({ stdout: () => {}, report: (line) => void reports.push(line) }) });
    const response = await handler({ method: 'GET', path: '/v1/sys/mounts', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0), remoteAddress: '', remotePort: 0 });
    expect(response.status).toBe(500);
    expect(reports).toEqual([expect.stringContaining('the salt of audit device file/ is missing from the store')]);
  });
});
