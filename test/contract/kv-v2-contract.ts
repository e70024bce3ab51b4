// The KV v2 contract: ONE list of expectations about Vault's KV v2 HTTP API, run by
// kv-v2-handler.test.ts against the in-process handler and by kv-v2-http.test.ts against
// the real server over HTTP. Each case gets a fresh KV v2 mount, so cases never see each
// other's keys or config.
import { expect } from 'vitest';

// A request as a case writes it; the runner adds the root token unless `token` says otherwise.
export interface ContractRequest {
  method: string;
  /** Path after /v1/, e.g. `m/data/foo`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Sent as is (e.g. invalid JSON); wins over `body`. */
  rawBody?: string;
  contentType?: string;
  /** `null` sends no token at all. */
  token?: string | null;
  /** Send the token as `Authorization: Bearer` instead of X-Vault-Token. */
  bearer?: boolean;
}

// What came back.
export interface ContractResponse {
  status: number;
  contentType: string | undefined;
  text: string;
  /** The body parsed as JSON; undefined when empty. */
  json: any;
}

// Sends one request through the transport under test.
export type Send = (request: ContractRequest) => Promise<ContractResponse>;

// One named expectation; `mount` is the fresh KV v2 mount's path without slashes.
export interface ContractCase {
  name: string;
  run(send: Send, mount: string): Promise<void>;
}

// Asserts the status and Vault's exact Content-Type, returning the response for more checks.
async function call(send: Send, request: ContractRequest, status: number): Promise<ContractResponse> {
  const response = await send(request);
  expect(response.status, `${request.method} ${request.path} → ${response.text}`).toBe(status);
  expect(response.contentType).toBe('application/json');
  return response;
}

// Vault's bare error body.
async function expectErrors(send: Send, request: ContractRequest, status: number, errors: string[]): Promise<void> {
  const response = await call(send, request, status);
  expect(response.json).toEqual({ errors });
}

const put = (path: string, body: unknown): ContractRequest => ({ method: 'PUT', path, body });
const get = (path: string, query?: Record<string, string>): ContractRequest => ({ method: 'GET', path, ...(query ? { query } : {}) });
const patch = (path: string, body: unknown): ContractRequest => ({ method: 'PATCH', path, body, contentType: 'application/merge-patch+json' });
const timestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

export const kvV2Contract: readonly ContractCase[] = [
  {
    name: 'writes versions and reads the current or a chosen one',
    async run(send, m) {
      const first = await call(send, put(`${m}/data/app`, { data: { user: 'u1' } }), 200);
      expect(Object.keys(first.json)).toEqual(['request_id', 'lease_id', 'renewable', 'lease_duration', 'data', 'wrap_info', 'warnings', 'auth', 'mount_type']);
      expect(first.json.data).toEqual({ created_time: expect.stringMatching(timestamp), custom_metadata: null, deletion_time: '', destroyed: false, version: 1 });
      expect(first.json.warnings).toBeNull();
      await call(send, { method: 'POST', path: `${m}/data/app`, body: { data: { user: 'u2', nested: { n: 1 } } } }, 200);
      const current = await call(send, get(`${m}/data/app`), 200);
      expect(current.json.data.data).toEqual({ user: 'u2', nested: { n: 1 } });
      expect(current.json.data.metadata).toMatchObject({ version: 2, deletion_time: '', destroyed: false, custom_metadata: null });
      expect((await call(send, get(`${m}/data/app`, { version: '1' }), 200)).json.data.data).toEqual({ user: 'u1' });
      expect((await call(send, get(`${m}/data/app`, { version: '0' }), 200)).json.data.metadata.version).toBe(2);
      await expectErrors(send, get(`${m}/data/app`, { version: '3' }), 404, []);
      await expectErrors(send, get(`${m}/data/nothing`), 404, []);
      expect((await call(send, put(`${m}/data/empty`, { data: {} }), 200)).json.data.version).toBe(1);
    },
  },
  {
    name: 'refuses writes without data, with the wrong types, or with broken JSON',
    async run(send, m) {
      await expectErrors(send, put(`${m}/data/k`, {}), 400, ['no data provided']);
      await expectErrors(send, put(`${m}/data/k`, { data: null }), 400, ['no data provided']);
      const wrongType = await call(send, put(`${m}/data/k`, { data: 'text' }), 400);
      expect(wrongType.json.errors[0]).toMatch(/^Field validation failed: error converting input .* for field "data"/);
      await expectErrors(send, { method: 'PUT', path: `${m}/data/k`, rawBody: '{"data": {' }, 400, ['error parsing JSON']);
      const badVersion = await call(send, get(`${m}/data/k`, { version: 'abc' }), 400);
      expect(badVersion.json.errors[0]).toMatch(/^Field validation failed: error converting input abc for field "version"/);
      await expectErrors(send, put(`${m}/data/dir/`, { data: { a: 'b' } }), 400, ["cannot write to a path ending in '/'"]);
    },
  },
  {
    name: 'check-and-set on writes and patches',
    async run(send, m) {
      await call(send, put(`${m}/data/c`, { data: { a: '1' }, options: { cas: 0 } }), 200);
      await expectErrors(send, put(`${m}/data/c`, { data: { a: '2' }, options: { cas: 0 } }), 400, ['check-and-set parameter did not match the current version']);
      expect((await call(send, put(`${m}/data/c`, { data: { a: '2' }, options: { cas: '1' } }), 200)).json.data.version).toBe(2);
      await expectErrors(send, put(`${m}/data/c`, { data: { a: '3' }, options: { cas: 'x' } }), 400, ['error parsing check-and-set parameter']);
      await call(send, put(`${m}/config`, { cas_required: true }), 204);
      await expectErrors(send, put(`${m}/data/c`, { data: { a: '3' } }), 400, ['check-and-set parameter required for this call']);
      await expectErrors(send, patch(`${m}/data/c`, { data: { a: '3' } }), 400, ['check-and-set parameter required for this call']);
      expect((await call(send, patch(`${m}/data/c`, { data: { a: '3' }, options: { cas: 2 } }), 200)).json.data.version).toBe(3);
    },
  },
  {
    name: 'patches with JSON merge patch, 404 with no body for a missing key, 415 for the wrong type',
    async run(send, m) {
      const missing = await call(send, patch(`${m}/data/p`, { data: { a: '1' } }), 404);
      expect(missing.text).toBe('');
      await call(send, put(`${m}/data/p`, { data: { keep: 'k', drop: 'd', obj: { x: 1, y: 2 } } }), 200);
      const patched = await call(send, patch(`${m}/data/p`, { data: { drop: null, add: 'a', obj: { y: null, z: 3 } } }), 200);
      expect(patched.json.data.version).toBe(2);
      expect((await call(send, get(`${m}/data/p`), 200)).json.data.data).toEqual({ keep: 'k', add: 'a', obj: { x: 1, z: 3 } });
      await expectErrors(send, patch(`${m}/data/p`, {}), 400, ['no data provided']);
      await expectErrors(send, { method: 'PATCH', path: `${m}/data/p`, body: { data: { a: 'b' } }, contentType: 'application/json' }, 415, [
        'PATCH requires Content-Type of application/merge-patch+json, provided application/json',
      ]);
      await call(send, { method: 'DELETE', path: `${m}/data/p` }, 204);
      const deleted = await call(send, patch(`${m}/data/p`, { data: { a: 'b' } }), 404);
      expect(deleted.json.data).toMatchObject({ version: 2, destroyed: false, deletion_time: expect.stringMatching(timestamp) });
    },
  },
  {
    name: 'soft delete, undelete and destroy, with the 404 that still carries metadata',
    async run(send, m) {
      await call(send, put(`${m}/data/d`, { data: { v: '1' } }), 200);
      await call(send, put(`${m}/data/d`, { data: { v: '2' } }), 200);
      const deleted = await call(send, { method: 'DELETE', path: `${m}/data/d` }, 204);
      expect(deleted.text).toBe('');
      const gone = await call(send, get(`${m}/data/d`), 404);
      expect(Object.keys(gone.json)).toEqual(['request_id', 'lease_id', 'renewable', 'lease_duration', 'data', 'wrap_info', 'warnings', 'auth']);
      expect(gone.json.data.data).toBeNull();
      expect(gone.json.data.metadata).toMatchObject({ version: 2, destroyed: false, deletion_time: expect.stringMatching(timestamp) });
      await call(send, { method: 'DELETE', path: `${m}/data/never` }, 204);
      await expectErrors(send, put(`${m}/undelete/d`, {}), 400, ['No version number provided']);
      await expectErrors(send, put(`${m}/delete/d`, { versions: [] }), 400, ['No version number provided']);
      await expectErrors(send, put(`${m}/destroy/d`, {}), 400, ['no version number provided']);
      await call(send, put(`${m}/undelete/d`, { versions: [2] }), 204);
      expect((await call(send, get(`${m}/data/d`), 200)).json.data.data).toEqual({ v: '2' });
      await call(send, put(`${m}/delete/d`, { versions: '1,2' }), 204);
      expect((await call(send, get(`${m}/data/d`, { version: '1' }), 404)).json.data.metadata.deletion_time).not.toBe('');
      await call(send, put(`${m}/destroy/d`, { versions: [1] }), 204);
      const destroyed = await call(send, get(`${m}/data/d`, { version: '1' }), 404);
      expect(destroyed.json.data).toMatchObject({ data: null, metadata: { version: 1, destroyed: true } });
      await call(send, put(`${m}/undelete/d`, { versions: [1] }), 204);
      expect((await call(send, get(`${m}/data/d`, { version: '1' }), 404)).json.data.metadata.destroyed).toBe(true);
      await call(send, put(`${m}/destroy/missing`, { versions: [1] }), 204);
    },
  },
  {
    name: 'metadata: read, write, patch and delete',
    async run(send, m) {
      await expectErrors(send, get(`${m}/metadata/md`), 404, []);
      await call(send, put(`${m}/data/md`, { data: { a: '1' } }), 200);
      await call(send, put(`${m}/data/md`, { data: { a: '2' } }), 200);
      const meta = await call(send, get(`${m}/metadata/md`), 200);
      expect(meta.json.data).toMatchObject({
        cas_required: false,
        created_time: expect.stringMatching(timestamp),
        current_version: 2,
        custom_metadata: null,
        delete_version_after: '0s',
        max_versions: 0,
        oldest_version: 0,
        updated_time: expect.stringMatching(timestamp),
      });
      expect(Object.keys(meta.json.data.versions)).toEqual(['1', '2']);
      expect(meta.json.data.versions['1']).toMatchObject({ created_time: expect.stringMatching(timestamp), deletion_time: '', destroyed: false });
      await call(send, put(`${m}/metadata/md`, { max_versions: 5, custom_metadata: { owner: 'ops', team: 'a' } }), 204);
      expect((await call(send, get(`${m}/data/md`), 200)).json.data.metadata.custom_metadata).toEqual({ owner: 'ops', team: 'a' });
      await call(send, patch(`${m}/metadata/md`, { custom_metadata: { owner: null, team: 'b' } }), 204);
      const patched = await call(send, get(`${m}/metadata/md`), 200);
      expect(patched.json.data).toMatchObject({ max_versions: 5, custom_metadata: { team: 'b' } });
      expect((await call(send, patch(`${m}/metadata/none`, { max_versions: 1 }), 404)).text).toBe('');
      const negative = await call(send, put(`${m}/metadata/md`, { delete_version_after: '-1h' }), 400);
      expect(negative.json.errors[0]).toContain('cannot provide negative value');
      await call(send, put(`${m}/metadata/fresh`, { custom_metadata: { k: 'v' } }), 204);
      expect((await call(send, get(`${m}/metadata/fresh`), 200)).json.data).toMatchObject({ current_version: 0, versions: {} });
      await call(send, { method: 'DELETE', path: `${m}/metadata/md` }, 204);
      await expectErrors(send, get(`${m}/metadata/md`), 404, []);
      await expectErrors(send, get(`${m}/data/md`, { version: '1' }), 404, []);
      expect((await call(send, put(`${m}/data/md`, { data: { a: '3' } }), 200)).json.data.version).toBe(1);
    },
  },
  {
    name: 'max_versions prunes old versions on the next write',
    async run(send, m) {
      await call(send, put(`${m}/metadata/pr`, { max_versions: 2 }), 204);
      for (const n of [1, 2, 3]) await call(send, put(`${m}/data/pr`, { data: { n: String(n) } }), 200);
      const meta = await call(send, get(`${m}/metadata/pr`), 200);
      expect(Object.keys(meta.json.data.versions)).toEqual(['2', '3']);
      expect(meta.json.data.current_version).toBe(3);
      await expectErrors(send, get(`${m}/data/pr`, { version: '1' }), 404, []);
    },
  },
  {
    name: 'lists keys and folders with LIST and ?list=true, 404 when empty',
    async run(send, m) {
      await expectErrors(send, { method: 'LIST', path: `${m}/metadata/` }, 404, []);
      for (const key of ['a', 'b', 'b/c', 'b/d/e']) await call(send, put(`${m}/data/${key}`, { data: { k: 'v' } }), 200);
      await call(send, { method: 'DELETE', path: `${m}/data/a` }, 204);
      const root = await call(send, { method: 'LIST', path: `${m}/metadata` }, 200);
      expect(new Set(root.json.data.keys)).toEqual(new Set(['a', 'b', 'b/']));
      const sub = await call(send, get(`${m}/metadata/b/`, { list: 'true' }), 200);
      expect(new Set(sub.json.data.keys)).toEqual(new Set(['c', 'd/']));
      expect(new Set((await call(send, get(`${m}/metadata/b`, { list: '1' }), 200)).json.data.keys)).toEqual(new Set(['c', 'd/']));
      await expectErrors(send, { method: 'LIST', path: `${m}/metadata/zzz/` }, 404, []);
      await expectErrors(send, get(`${m}/metadata/`, { list: 'maybe' }), 400, []);
    },
  },
  {
    name: 'orders lists, map keys and versions as Go does (UTF-8 byte order), envelope fields as its struct',
    async run(send, m) {
      // Astral characters sort after U+E000..U+FFFF in UTF-8 byte order; UTF-16 order has them before.
      for (const key of ['b', 'a', '\u{1F600}', '\uE000', 'B']) await call(send, put(`${m}/data/${key}`, { data: { k: 'v' } }), 200);
      const listed = await call(send, { method: 'LIST', path: `${m}/metadata` }, 200);
      expect(listed.json.data.keys).toEqual(['B', 'a', 'b', '\uE000', '\u{1F600}']);
      await call(send, put(`${m}/data/ordered`, { data: { b: '1', a: '2', '10': 'x', '9': 'y' } }), 200);
      const read = await call(send, get(`${m}/data/ordered`), 200);
      expect(read.text.startsWith('{"request_id":')).toBe(true);
      expect(read.text).toContain('"data":{"data":{"10":"x","9":"y","a":"2","b":"1"},"metadata":{"created_time"');
      for (let i = 2; i <= 10; i++) await call(send, put(`${m}/data/ordered`, { data: { i: String(i) } }), 200);
      const meta = await call(send, get(`${m}/metadata/ordered`), 200);
      expect(Object.keys(JSON.parse(meta.text).data.versions)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      expect(meta.text.indexOf('"10":{')).toBeLessThan(meta.text.indexOf('"2":{'));
    },
  },
  {
    name: 'subkeys with and without depth',
    async run(send, m) {
      await call(send, put(`${m}/data/s`, { data: { foo: 'x', bar: { baz: 'y', deep: { z: 1 } }, empty: {} } }), 200);
      const all = await call(send, get(`${m}/subkeys/s`), 200);
      expect(all.json.data.subkeys).toEqual({ foo: null, bar: { baz: null, deep: { z: null } }, empty: null });
      expect(all.json.data.metadata.version).toBe(1);
      expect((await call(send, get(`${m}/subkeys/s`, { depth: '1' }), 200)).json.data.subkeys).toEqual({ foo: null, bar: null, empty: null });
      await expectErrors(send, get(`${m}/subkeys/none`), 404, []);
    },
  },
  {
    name: 'mount config: defaults, write, read back',
    async run(send, m) {
      expect((await call(send, get(`${m}/config`), 200)).json.data).toEqual({ cas_required: false, delete_version_after: '0s', max_versions: 0 });
      await call(send, put(`${m}/config`, { max_versions: 4, delete_version_after: '1h' }), 204);
      expect((await call(send, get(`${m}/config`), 200)).json.data).toEqual({ cas_required: false, delete_version_after: '1h0m0s', max_versions: 4 });
      const written = await call(send, put(`${m}/data/t`, { data: { a: 'b' } }), 200);
      expect(written.json.data.deletion_time).toMatch(timestamp);
    },
  },
  {
    name: 'invalid paths on a v2 mount answer 404 with a warning; unknown mounts have no route',
    async run(send, m) {
      const plain = await call(send, get(`${m}/foo`), 404);
      expect(plain.json.data).toBeNull();
      expect(plain.json.warnings[0]).toContain("use 'vault kv get' for this operation");
      const root = await call(send, get(`${m}/data`), 404);
      expect(root.json.warnings).toEqual(['Non-listing operations on the root of a K/V v2 mount are not supported.']);
      await expectErrors(send, get('nope-mount/foo'), 404, ['no handler for route "nope-mount/foo". route entry not found.']);
    },
  },
  {
    name: 'no token or an unknown token is refused with 403; health needs none',
    async run(send, m) {
      const none = await call(send, { ...get(`${m}/data/x`), token: null }, 403);
      expect(none.json.errors[0]).toContain('permission denied');
      const unknown = await call(send, { ...get(`${m}/data/x`), token: 'hvs.not-a-token' }, 403);
      expect(unknown.json.errors[0]).toContain('permission denied');
      await call(send, { ...put(`${m}/data/x`, { data: { a: 'b' } }), token: 'hvs.not-a-token' }, 403);
      await call(send, { ...put(`${m}/data/x`, { data: { a: 'b' } }), bearer: true }, 200);
      await call(send, { ...get(`${m}/data/x`), token: 'hvs.not-a-token', bearer: true }, 403);
      const health = await send({ ...get('sys/health'), token: null });
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({ initialized: true, sealed: false });
    },
  },
  {
    name: 'names unrecognized parameters in a warning, sorted, where the path answers with a body',
    async run(send, m) {
      const warning = (names: string) => `Endpoint ignored these unrecognized parameters: [${names}]`;
      const written = await call(send, put(`${m}/data/w`, { data: { a: 'b' }, junk: 1, Zeta: 2, alpha: { x: 3 } }), 200);
      expect(written.json.warnings).toEqual([warning('Zeta alpha junk')]);
      expect(written.json.data.version).toBe(1);
      // Ignored means ignored: the stored secret is only `data`.
      const read = await call(send, get(`${m}/data/w`, { junk: 'x' }), 200);
      expect(read.json.data.data).toEqual({ a: 'b' });
      expect(read.json.warnings).toEqual([warning('junk')]);
      expect((await call(send, get(`${m}/data/w`, { version: '1' }), 200)).json.warnings).toBeNull();
      const patched = await call(send, { ...patch(`${m}/data/w`, { data: { c: 'd' }, junk: true }) }, 200);
      expect(patched.json.warnings).toEqual([warning('junk')]);
      expect((await call(send, get(`${m}/metadata/w`, { junk: 'x' }), 200)).json.warnings).toEqual([warning('junk')]);
      expect((await call(send, get(`${m}/subkeys/w`, { junk: 'x' }), 200)).json.warnings).toEqual([warning('junk')]);
      expect((await call(send, { method: 'LIST', path: `${m}/metadata/`, query: { junk: 'x' } }, 200)).json.warnings).toEqual([warning('junk')]);
      // Nil answers (204) carry no warning; an empty list is still a 404.
      const metadata = await call(send, put(`${m}/metadata/w`, { max_versions: 3, junk: 1 }), 204);
      expect(metadata.text).toBe('');
      await call(send, put(`${m}/config`, { max_versions: 3, junk: 1 }), 204);
      await call(send, { method: 'POST', path: `${m}/delete/w`, body: { versions: [1], junk: 1 } }, 204);
      await expectErrors(send, { method: 'LIST', path: `${m}/metadata/none/`, query: { junk: 'x' } }, 404, []);
      // Known fields draw no warning.
      expect((await call(send, put(`${m}/data/w`, { data: { a: 'b' }, options: {} }), 200)).json.warnings).toBeNull();
    },
  },
  {
    name: 'refuses JSON nested deeper than 1000 levels with 400, and serves what is within',
    async run(send, m) {
      const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
      // The body {"data":{"a":…}} is two levels more than the value of "a".
      await call(send, { method: 'PUT', path: `${m}/data/deep`, rawBody: `{"data":{"a":${nested(998)}}}` }, 200);
      const read = await call(send, get(`${m}/data/deep`), 200);
      expect(read.text).toContain(nested(998));
      const patched = await call(send, { method: 'PATCH', path: `${m}/data/deep`, rawBody: `{"data":{"b":${nested(998)}}}`, contentType: 'application/merge-patch+json' }, 200);
      expect(patched.json.data.version).toBe(2);
      expect((await call(send, get(`${m}/subkeys/deep`), 200)).json.data.subkeys).toEqual({ a: null, b: null });
      for (const depth of [999, 2500, 10_001]) {
        await expectErrors(send, { method: 'PUT', path: `${m}/data/deep`, rawBody: `{"data":{"a":${nested(depth)}}}` }, 400, ['error parsing JSON']);
        await expectErrors(send, { method: 'PATCH', path: `${m}/data/deep`, rawBody: `{"data":{"a":${nested(depth)}}}`, contentType: 'application/merge-patch+json' }, 400, ['error parsing JSON']);
      }
      await expectErrors(send, { method: 'PUT', path: `${m}/metadata/deep`, rawBody: `{"custom_metadata":{"a":${nested(2500)}}}` }, 400, ['error parsing JSON']);
      expect((await call(send, get(`${m}/data/deep`), 200)).json.data.metadata.version).toBe(2);
    },
  },
  {
    name: 'refuses a delete_version_after longer than Go can hold, and keeps the key writable',
    async run(send, m) {
      const invalid = (value: string) => `Field validation failed: error converting input ${value} for field "delete_version_after": time: invalid duration "${value}"`;
      await expectErrors(send, put(`${m}/metadata/dva`, { delete_version_after: '99999999999999h' }), 400, [invalid('99999999999999h')]);
      await expectErrors(send, put(`${m}/config`, { delete_version_after: '2562048h' }), 400, [invalid('2562048h')]);
      await expectErrors(send, patch(`${m}/metadata/dva`, { delete_version_after: '99999999999999h' }), 400, [invalid('99999999999999h')]);
      const seconds = await call(send, put(`${m}/metadata/dva`, { delete_version_after: 99_999_999_999 }), 400);
      expect(seconds.json.errors[0]).toContain('out of range: at most 9223372036 seconds (2562047h47m16s)');
      // The longest Go duration is accepted, and writes go on.
      await call(send, put(`${m}/metadata/dva`, { delete_version_after: '2562047h' }), 204);
      expect((await call(send, get(`${m}/metadata/dva`), 200)).json.data.delete_version_after).toBe('2562047h0m0s');
      const written = await call(send, put(`${m}/data/dva`, { data: { a: 'b' } }), 200);
      expect(written.json.data.deletion_time).toMatch(timestamp);
      await call(send, put(`${m}/data/dva`, { data: { a: 'c' } }), 200);
    },
  },
  {
    name: 'sys/internal/ui/mounts tells clients the KV version of a path',
    async run(send, m) {
      const found = await call(send, get(`sys/internal/ui/mounts/${m}/some/key`), 200);
      expect(found.json.data).toMatchObject({ path: `${m}/`, type: 'kv', options: { version: '2' } });
      const missing = await call(send, get('sys/internal/ui/mounts/nope/key'), 403);
      expect(missing.json.errors).toEqual(['preflight capability check returned 403, please ensure client\'s policies grant access to path "nope/key/"']);
      const anonymous = await call(send, { ...get(`sys/internal/ui/mounts/${m}`), token: null }, 403);
      expect(anonymous.json.errors[0]).toContain('permission denied');
    },
  },
];

// Enables a fresh KV v2 mount for a case.
export async function enableMount(send: Send, mount: string): Promise<void> {
  const response = await send({ method: 'POST', path: `sys/mounts/${mount}`, body: { type: 'kv', options: { version: '2' } } });
  if (response.status !== 204) throw new Error(`cannot enable mount ${mount}: ${response.status} ${response.text}`);
}
