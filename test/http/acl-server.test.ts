// The ACL decision table through `secretrun server`: policies written over HTTP, tokens created
// with them, and each request sent as a client sends it — so the handler is seen passing the
// existence check (create vs update), the request's data (parameter constraints) and sudo
// paths to the ACL exactly as the pure table in test/auth/acl.test.ts decides them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../e2e/run-cli.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

let server: ServerProcess;
const rootToken = 'acl-root';

interface Reply {
  status: number;
  json: Record<string, unknown> | undefined;
}

async function send(token: string | undefined, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['X-Vault-Token'] = token;
  if (body !== undefined) headers['Content-Type'] = contentType;
  const response = await fetch(`${server.url}/v1/${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

async function root(method: string, path: string, body?: unknown): Promise<Reply> {
  const reply = await send(rootToken, method, path, body);
  expect(reply.status, `${method} ${path}: ${JSON.stringify(reply.json)}`).toBeLessThan(300);
  return reply;
}

const policies: Record<string, string> = {
  mixed: `
    path "secret/data/app" { capabilities = ["read"] }
    path "secret/data/app/*" { capabilities = ["update", "read"] }
    path "secret/data/app*" { capabilities = ["delete"] }
    path "secret/data/+/config" { capabilities = ["patch", "read"] }
  `,
  shared_read: 'path "secret/data/shared/*" { capabilities = ["read", "list"] }',
  shared_deny: 'path "secret/data/shared/*" { capabilities = ["deny"] }',
  writes: `
    path "secret/data/new-only" { capabilities = ["create"] }
    path "secret/data/update-only" { capabilities = ["update"] }
    path "secret/data/patchable" { capabilities = ["patch", "read"] }
  `,
  lists: `
    path "secret/metadata/team" { capabilities = ["list"] }
    path "secret/metadata/dev/*" { capabilities = ["list"] }
  `,
  kv: `
    path "secret/data/kv/*" { capabilities = ["create", "read", "update"] }
    path "secret/metadata/kv/*" { capabilities = ["read"] }
    path "secret/delete/kv/*" { capabilities = ["update"] }
    path "secret/undelete/kv/*" { capabilities = ["update"] }
  `,
  admin: `
    path "sys/auth/*" { capabilities = ["create", "update", "read", "delete"] }
    path "sys/mounts/*" { capabilities = ["create", "update"] }
  `,
  admin_sudo: 'path "sys/auth/*" { capabilities = ["create", "update", "read", "delete", "sudo"] }',
  params: `
    path "secret/data/params" {
      capabilities = ["create", "update"]
      allowed_parameters = { "data" = [] }
    }
    path "secret/data/required" {
      capabilities = ["create", "update"]
      required_parameters = ["options"]
    }
    path "secret/data/denied" {
      capabilities = ["create", "update"]
      denied_parameters = { "options" = [] }
    }
  `,
};

const tokens = new Map<string, string>();

// A token holding `names` (joined with +) and the default policy.
async function tokenFor(names: string): Promise<string> {
  const known = tokens.get(names);
  if (known !== undefined) return known;
  const created = await root('POST', 'auth/token/create', { policies: names.split('+') });
  const token = (created.json?.['auth'] as { client_token: string }).client_token;
  tokens.set(names, token);
  return token;
}

beforeAll(async () => {
  server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', `-dev-root-token-id=${rootToken}`], createSandbox().env);
  for (const [name, text] of Object.entries(policies)) await root('PUT', `sys/policies/acl/${name}`, { policy: text });
  for (const key of ['app', 'app/db', 'apple', 'web/config', 'shared/x', 'update-only', 'patchable', 'kv/db', 'team/a', 'dev/a/b']) {
    await root('PUT', `secret/data/${key}`, { data: { v: '1' } });
  }
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

// [policies, method, path, body, allowed]: a body of `undefined` sends none; PATCH sends merge-patch.
type Row = [names: string, method: string, path: string, body: unknown, allowed: boolean];

const table: Row[] = [
  // An exact rule wins outright; among globs the later wildcard, then the longer prefix.
  ['mixed', 'GET', 'secret/data/app', undefined, true],
  ['mixed', 'DELETE', 'secret/data/app', undefined, false],
  ['mixed', 'GET', 'secret/data/app/db', undefined, true],
  ['mixed', 'DELETE', 'secret/data/apple', undefined, true],
  ['mixed', 'GET', 'secret/data/apple', undefined, false],
  ['mixed', 'PATCH', 'secret/data/web/config', { data: { v: '2' } }, true],
  ['mixed', 'GET', 'secret/data/web/other', undefined, false],
  // The same pattern in two policies: capabilities add up, deny wins.
  ['shared_read', 'GET', 'secret/data/shared/x', undefined, true],
  ['shared_read+shared_deny', 'GET', 'secret/data/shared/x', undefined, false],
  // Create versus update, decided by whether the key exists when the request arrives.
  ['writes', 'PUT', 'secret/data/new-only', { data: { v: '1' } }, true],
  ['writes', 'PUT', 'secret/data/new-only', { data: { v: '2' } }, false], // it exists now: an update
  ['writes', 'PUT', 'secret/data/update-only', { data: { v: '2' } }, true],
  ['writes', 'PUT', 'secret/data/update-missing', { data: { v: '1' } }, false],
  ['writes', 'PATCH', 'secret/data/patchable', { data: { v: '2' } }, true],
  ['writes', 'PATCH', 'secret/data/update-only', { data: { v: '3' } }, false],
  // LIST with and without the trailing slash, by LIST and by GET ?list=true.
  ['lists', 'LIST', 'secret/metadata/team', undefined, true],
  ['lists', 'LIST', 'secret/metadata/team/', undefined, true],
  ['lists', 'GET', 'secret/metadata/team?list=true', undefined, true],
  ['lists', 'LIST', 'secret/metadata/dev/a', undefined, true],
  ['lists', 'LIST', 'secret/metadata/', undefined, false],
  // KV v2 paths as Vault sees them.
  ['kv', 'GET', 'secret/data/kv/db', undefined, true],
  ['kv', 'GET', 'secret/metadata/kv/db', undefined, true],
  ['kv', 'DELETE', 'secret/metadata/kv/db', undefined, false],
  ['kv', 'POST', 'secret/delete/kv/db', { versions: [1] }, true],
  ['kv', 'POST', 'secret/undelete/kv/db', { versions: [1] }, true],
  ['kv', 'POST', 'secret/destroy/kv/db', { versions: [1] }, false],
  ['kv', 'GET', 'secret/subkeys/kv/db', undefined, false],
  // Root-protected paths need sudo on top.
  ['admin', 'POST', 'sys/auth/up-admin', { type: 'userpass' }, false],
  ['admin_sudo', 'POST', 'sys/auth/up-sudo', { type: 'userpass' }, true],
  ['admin', 'POST', 'sys/mounts/kv-admin', { type: 'kv-v2' }, true],
  // Several policies on one token; the default policy's self paths.
  ['kv+lists', 'LIST', 'secret/metadata/team', undefined, true],
  ['kv+lists', 'GET', 'secret/data/kv/db', undefined, true],
  ['kv', 'GET', 'auth/token/lookup-self', undefined, true],
  ['kv', 'POST', 'sys/capabilities-self', { paths: ['secret/data/kv/db'] }, true],
  ['kv', 'GET', 'sys/policies/acl/kv', undefined, false],
  // Parameter constraints on the request body.
  ['params', 'PUT', 'secret/data/params', { data: { v: '1' } }, true],
  ['params', 'PUT', 'secret/data/params', { data: { v: '1' }, options: { cas: 1 } }, false],
  ['params', 'PUT', 'secret/data/required', { data: { v: '1' } }, false],
  ['params', 'PUT', 'secret/data/required', { data: { v: '1' }, options: {} }, true],
  ['params', 'PUT', 'secret/data/denied', { data: { v: '1' }, options: {} }, false],
  ['params', 'PUT', 'secret/data/denied', { data: { v: '1' } }, true],
];

describe('the ACL through secretrun server', () => {
  it('decides each request as the policy table does', async () => {
    const wrong: string[] = [];
    for (const [names, method, path, body, allowed] of table) {
      const reply = await send(await tokenFor(names), method, path, body, method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
      const refused = reply.status === 403;
      if (refused === allowed) wrong.push(`${names}: ${method} ${path} → ${reply.status} ${JSON.stringify(reply.json)}`);
      if (refused) expect(reply.json).toEqual({ errors: ['1 error occurred:\n\t* permission denied\n\n'] });
    }
    expect(wrong).toEqual([]);
  });

  it('answers the mount preflight by what the token reaches under the mount', async () => {
    const kv = await tokenFor('kv');
    expect((await send(kv, 'GET', 'sys/internal/ui/mounts/secret/kv/db')).json?.['data']).toMatchObject({ path: 'secret/', type: 'kv' });
    const none = await tokenFor('admin');
    expect(await send(none, 'GET', 'sys/internal/ui/mounts/secret/kv/db')).toEqual({
      status: 403,
      json: { errors: ['preflight capability check returned 403, please ensure client\'s policies grant access to path "secret/kv/db/"'] },
    });
    expect(await send('nope', 'GET', 'sys/internal/ui/mounts/secret/kv/db')).toEqual({ status: 403, json: { errors: ['permission denied'] } });
  });

  it('sees a policy change on the next request', async () => {
    const token = await tokenFor('mixed');
    expect((await send(token, 'GET', 'secret/data/web/other')).status).toBe(403);
    await root('PUT', 'sys/policies/acl/mixed', { policy: `${policies['mixed']}\npath "secret/data/web/other" { capabilities = ["read"] }` });
    expect((await send(token, 'GET', 'secret/data/web/other')).status).toBe(404);
    await root('DELETE', 'sys/policies/acl/mixed');
    expect((await send(token, 'GET', 'secret/data/app')).status).toBe(403);
  });
});
