// The policy API of `secretrun server`: sys/policies/acl (HCL, JSON or base64 texts), the
// legacy sys/policy shapes, and sys/capabilities, -self and -accessor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicyText } from '../../src/auth/builtin-policies.js';
import { createSandbox } from '../e2e/run-cli.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

let server: ServerProcess;
const rootToken = 'policy-root';

async function send(method: string, path: string, body?: unknown, token = rootToken): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
  const response = await fetch(`${server.url}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

const hcl = 'path "secret/data/app/*" {\n  capabilities = ["read", "list"]\n}\n';

beforeAll(async () => {
  server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${rootToken}`], createSandbox().env);
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('sys/policies/acl', () => {
  it('stores HCL, JSON and base64 texts as written, lower-cases names, and lists root last', async () => {
    expect((await send('PUT', 'sys/policies/acl/App', { policy: hcl })).status).toBe(204);
    const json = '{"path": {"secret/data/json/*": {"capabilities": ["read"]}}}';
    expect((await send('PUT', 'sys/policies/acl/from-json', { policy: json })).status).toBe(204);
    expect((await send('POST', 'sys/policies/acl/b64', { policy: Buffer.from(hcl).toString('base64') })).status).toBe(204);
    const read = await send('GET', 'sys/policies/acl/app');
    expect(read.json?.['data']).toEqual({ name: 'app', policy: hcl });
    expect(read.json).not.toHaveProperty('policy');
    expect((await send('GET', 'sys/policies/acl/from-json')).json?.['data']).toEqual({ name: 'from-json', policy: json });
    expect((await send('GET', 'sys/policies/acl/b64')).json?.['data']).toEqual({ name: 'b64', policy: hcl });
    expect((await send('LIST', 'sys/policies/acl')).json?.['data']).toEqual({ keys: ['app', 'b64', 'default', 'from-json', 'root'] });
    expect((await send('GET', 'sys/policies/acl?list=true')).json?.['data']).toEqual({ keys: ['app', 'b64', 'default', 'from-json', 'root'] });
    expect((await send('GET', 'sys/policies/acl/default')).json?.['data']).toEqual({ name: 'default', policy: defaultPolicyText });
    expect((await send('GET', 'sys/policies/acl/root')).json?.['data']).toEqual({ name: 'root', policy: '' });
    expect((await send('GET', 'sys/policies/acl/nope')).status).toBe(404);
    expect((await send('DELETE', 'sys/policies/acl/b64')).status).toBe(204);
    expect((await send('DELETE', 'sys/policies/acl/b64')).status).toBe(204);
    expect((await send('GET', 'sys/policies/acl/b64')).status).toBe(404);
  });

  it('refuses a policy that does not parse with its position, and stores nothing', async () => {
    const bad = 'path "secret/data/x" {\n  capabilities = ["read", "reed"]\n}\n';
    expect(await send('PUT', 'sys/policies/acl/broken', { policy: bad })).toEqual({
      status: 400,
      json: { errors: ['failed to parse policy: At 2:27: path "secret/data/x": invalid capability "reed"'] },
    });
    expect((await send('GET', 'sys/policies/acl/broken')).status).toBe(404);
    // Rewriting an existing policy with a broken text keeps the old text.
    await send('PUT', 'sys/policies/acl/kept', { policy: hcl });
    expect((await send('PUT', 'sys/policies/acl/kept', { policy: 'path "x" {' })).status).toBe(400);
    expect((await send('GET', 'sys/policies/acl/kept')).json?.['data']).toEqual({ name: 'kept', policy: hcl });
  });

  it('keeps root immutable and default undeletable, and wants a text', async () => {
    expect((await send('PUT', 'sys/policies/acl/root', { policy: hcl })).json).toEqual({ errors: ['cannot update "root" policy'] });
    expect((await send('DELETE', 'sys/policies/acl/root')).json).toEqual({ errors: ['cannot delete "root" policy'] });
    expect((await send('DELETE', 'sys/policies/acl/default')).json).toEqual({ errors: ['cannot delete default policy'] });
    expect((await send('PUT', 'sys/policies/acl/empty', { policy: '' })).json).toEqual({ errors: ["'policy' parameter not supplied or empty"] });
  });
});

describe('the legacy sys/policy', () => {
  it('speaks its old shapes, with data copied to the top level', async () => {
    expect((await send('PUT', 'sys/policy/legacy', { rules: hcl })).json).toMatchObject({ warnings: ["'rules' is deprecated, please use 'policy' instead"] });
    const read = await send('GET', 'sys/policy/legacy');
    expect(read.json).toMatchObject({ name: 'legacy', rules: hcl, data: { name: 'legacy', rules: hcl } });
    const list = await send('GET', 'sys/policy');
    expect(list.json?.['policies']).toEqual(list.json?.['keys']);
    expect(list.json?.['keys']).toContain('legacy');
    expect((list.json?.['keys'] as string[]).at(-1)).toBe('root');
    expect((await send('DELETE', 'sys/policy/legacy')).status).toBe(204);
  });
});

describe('sys/capabilities', () => {
  it('answers for the caller, for a token and for an accessor', async () => {
    await send('PUT', 'sys/policies/acl/caps', { policy: hcl });
    const created = await send('POST', 'auth/token/create', { policies: ['caps'] });
    const auth = created.json?.['auth'] as { client_token: string; accessor: string };
    const self = await send('POST', 'sys/capabilities-self', { paths: ['secret/data/app/db', 'secret/data/other'] }, auth.client_token);
    expect(self.json?.['data']).toEqual({ 'secret/data/app/db': ['list', 'read'], 'secret/data/other': ['deny'] });
    const one = await send('POST', 'sys/capabilities-self', { path: 'secret/data/app/db' }, auth.client_token);
    expect(one.json).toMatchObject({ capabilities: ['list', 'read'], 'secret/data/app/db': ['list', 'read'], data: { capabilities: ['list', 'read'] } });
    expect((await send('POST', 'sys/capabilities', { token: auth.client_token, paths: 'secret/data/app/x' })).json?.['data']).toEqual({
      capabilities: ['list', 'read'],
      'secret/data/app/x': ['list', 'read'],
    });
    expect((await send('POST', 'sys/capabilities-accessor', { accessor: auth.accessor, paths: ['secret/data/app/x'] })).json?.['capabilities']).toEqual(['list', 'read']);
    expect((await send('POST', 'sys/capabilities-self', { paths: ['anything'] })).json?.['capabilities']).toEqual(['root']);
    expect(await send('POST', 'sys/capabilities', { token: 'nope', paths: ['x'] })).toEqual({ status: 400, json: { errors: ['invalid token'] } });
    expect(await send('POST', 'sys/capabilities-accessor', { accessor: 'nope', paths: ['x'] })).toEqual({ status: 400, json: { errors: ['invalid accessor'] } });
    expect(await send('POST', 'sys/capabilities-self', {})).toEqual({ status: 400, json: { errors: ['paths must be supplied'] } });
    // Asking about another token needs a policy granting sys/capabilities; default grants only -self.
    expect((await send('POST', 'sys/capabilities', { token: rootToken, paths: ['x'] }, auth.client_token)).status).toBe(403);
  });
});
