// The handler's seams for access control and audit: who asked, whether they may, what is
// recorded, and Vault's existence check that tells a create from an update.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { createApiHandler, type Audit, type AuditEvent } from '../../src/http/handler.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { LogicalResponse } from '../../src/http/logical.js';
import { createRootToken } from '../../src/auth/token-store.js';
import { createTokenAuthenticator } from '../../src/auth/token-auth.js';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

async function setUp(options: Partial<Parameters<typeof createApiHandler>[0]> = {}) {
  const store = createMemoryStore();
  const token = await store.update((storage) => createRootToken(storage, { now: Date.now(), random }).token);
  const handler = createApiHandler({ store, authenticate: createTokenAuthenticator(), ...options });
  const send = (method: string, path: string, body?: unknown) =>
    handler({
      method,
      path: `/v1/${path}`,
      query: new URLSearchParams(),
      headers: { 'x-vault-token': token, 'content-type': 'application/json' },
      body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      remoteAddress: '127.0.0.9',
      remotePort: 1,
    });
  return { send };
}

describe('handler hooks', () => {
  it('asks authorize with the existence check: a write to a missing key is a create, to an existing one an update', async () => {
    const seen: [string, string, boolean | undefined][] = [];
    const { send } = await setUp({ authorize: (request, _caller, _storage, existing) => void seen.push([request.operation, request.path, existing]) });
    expect((await send('PUT', 'secret/data/app', { data: { a: '1' } })).status).toBe(200);
    expect((await send('PUT', 'secret/data/app', { data: { a: '2' } })).status).toBe(200);
    expect((await send('PUT', 'secret/metadata/other', { max_versions: 3 })).status).toBe(204);
    expect((await send('GET', 'secret/data/app')).status).toBe(200);
    expect((await send('POST', 'secret/delete/app', { versions: [1] })).status).toBe(204);
    expect(seen).toEqual([
      ['update', 'secret/data/app', false],
      ['update', 'secret/data/app', true],
      ['update', 'secret/metadata/other', false],
      ['read', 'secret/data/app', undefined],
      ['update', 'secret/delete/app', undefined],
    ]);
  });

  it('a refusal from authorize is the answer, and nothing is written', async () => {
    const { send } = await setUp({
      authorize: (request) => {
        if (request.path.startsWith('secret/data/locked')) throw new SecretrunError('permission_denied', '1 error occurred:\n\t* permission denied\n\n');
      },
    });
    const refused = await send('PUT', 'secret/data/locked', { data: { a: '1' } });
    expect(refused.status).toBe(403);
    expect((await send('GET', 'secret/metadata/locked')).status).toBe(404);
  });

  it('audits each request before it is served and its response after, refused ones included', async () => {
    const log: string[] = [];
    const audit: Audit = {
      begin(_storage, event: AuditEvent) {
        log.push(`request ${event.request.operation} ${event.request.path} from ${event.remoteAddress}${event.error === undefined ? '' : ' refused'}`);
        return {
          end(response: LogicalResponse | undefined, error: unknown, mountType: string | undefined) {
            log.push(`response ${response?.kind ?? 'error'} ${mountType ?? '-'}${error === undefined ? '' : ' with error'}`);
          },
          flush() {},
        };
      },
    };
    const { send } = await setUp({ audit, authorize: (request) => {
      if (request.path === 'secret/data/nope') throw new SecretrunError('permission_denied', 'permission denied');
    } });
    await send('PUT', 'secret/data/app', { data: { a: '1' } });
    await send('GET', 'secret/data/nope');
    expect(log).toEqual([
      'request update secret/data/app from 127.0.0.9',
      'response data kv',
      'request read secret/data/nope from 127.0.0.9 refused',
      'response error - with error',
    ]);
  });

  it('fails closed: a request no audit device can record is refused with 500 and not served', async () => {
    const audit: Audit = {
      begin(_storage, event) {
        if (event.request.operation !== 'read') throw new SecretrunError('internal', 'no audit device could record the request');
        return undefined;
      },
    };
    const { send } = await setUp({ audit });
    expect((await send('PUT', 'secret/data/app', { data: { a: '1' } })).status).toBe(500);
    expect((await send('GET', 'secret/data/app')).status).toBe(404);
  });
});
