import { describe, expect, it } from 'vitest';
import { compileAcl, type AclRequest, type DenyReason } from '../../src/auth/acl.js';
import { buildDefaultPolicy, buildRootPolicy } from '../../src/auth/builtin-policies.js';
import { parsePolicy } from '../../src/auth/policy-parse.js';
import type { Operation } from '../../src/auth/policy.js';

// The policies of the decision table, by name. Each expectation below follows from Vault's
// rules (acl.go, docs concepts/policies); the comment on a row says which rule decides it.
const texts: Record<string, string> = {
  mixed: `
    path "secret/data/app" { capabilities = ["read"] }
    path "secret/data/app/*" { capabilities = ["update"] }
    path "secret/data/app*" { capabilities = ["delete"] }
    path "secret/data/+/config" { capabilities = ["patch"] }
    path "secret/data/+" { capabilities = ["list"] }
  `,
  ranked: `
    path "secret/+/team/*" { capabilities = ["read"] }
    path "secret/*" { capabilities = ["deny"] }
    path "secret/data/+/*" { capabilities = ["update"] }
    path "secret/+/+/foo" { capabilities = ["delete"] }
    path "secret/+/+/+" { capabilities = ["create"] }
  `,
  shared_read: 'path "secret/data/shared/*" { capabilities = ["read", "list"] }',
  shared_deny: 'path "secret/data/shared/*" { capabilities = ["deny"] }',
  shared_update: `
    path "secret/data/shared/*" { capabilities = ["update"] }
    path "secret/data/shared/open" { capabilities = ["read"] }
  `,
  deny_in_list: 'path "secret/data/mixed" { capabilities = ["read", "deny"] }',
  writes: `
    path "secret/data/new-only" { capabilities = ["create"] }
    path "secret/data/update-only" { capabilities = ["update"] }
    path "secret/data/patchable" { capabilities = ["patch", "read"] }
  `,
  lists: `
    path "secret/metadata/team" { capabilities = ["list"] }
    path "secret/metadata/ops/" { capabilities = ["list"] }
    path "secret/metadata/dev/*" { capabilities = ["list"] }
    path "secret/metadata/qa*" { capabilities = ["list"] }
    path "secret/metadata/+/logs" { capabilities = ["list"] }
  `,
  list_deny_parent: `
    path "secret/metadata/*" { capabilities = ["deny"] }
    path "secret/metadata/app/*" { capabilities = ["list"] }
  `,
  kv: `
    path "secret/data/app/*" { capabilities = ["create", "read", "update"] }
    path "secret/metadata/app/*" { capabilities = ["list", "read"] }
    path "secret/delete/app/*" { capabilities = ["update"] }
    path "secret/undelete/app/*" { capabilities = ["update"] }
  `,
  admin: `
    path "sys/audit/*" { capabilities = ["create", "read", "update", "delete", "list"] }
    path "sys/audit" { capabilities = ["read", "sudo"] }
    path "sys/mounts/*" { capabilities = ["create", "update"] }
    path "sys/auth/*" { capabilities = ["create", "update", "sudo"] }
    path "auth/token/accessors/" { capabilities = ["list"] }
    path "auth/token/revoke-orphan/*" { capabilities = ["update", "sudo"] }
  `,
  h1: 'path "secret/data/a/*" { capabilities = ["read"] }',
  h2: `
    path "secret/data/b/*" { capabilities = ["read"] }
    path "secret/data/a/*" { capabilities = ["list"] }
  `,
  params: `
    path "secret/restricted" {
      capabilities = ["create", "update"]
      allowed_parameters = {
        "foo" = []
        "bar" = ["zip", "zap"]
      }
    }
    path "secret/required" {
      capabilities = ["create", "read"]
      required_parameters = ["bar", "baz"]
    }
    path "secret/denied" {
      capabilities = ["create"]
      denied_parameters = { "bar" = ["zip", "zap*"] }
    }
    path "secret/nothing" {
      capabilities = ["create"]
      denied_parameters = { "*" = [] }
    }
    path "secret/open" {
      capabilities = ["create"]
      allowed_parameters = { "bar" = ["zip"], "*" = [] }
    }
    path "secret/globbed" {
      capabilities = ["update"]
      allowed_parameters = { "Bar" = ["baz/*", "*-suffix"] }
    }
    path "secret/numbers" {
      capabilities = ["update"]
      allowed_parameters = { "ttl" = [300, "1h"] }
    }
  `,
  wrapped: `
    path "secret/wrapped" {
      capabilities = ["read"]
      min_wrapping_ttl = "1s"
      max_wrapping_ttl = "90s"
    }
  `,
  odd: `
    path "/secret/data/leading" { capabilities = ["read"] }
    path "secret/data/{{identity.entity.id}}/*" { capabilities = ["read"] }
    path "secret/data/empty" {}
    path "secret/data/legacy/*" { policy = "write" }
  `,
};

const policies = Object.fromEntries(Object.entries(texts).map(([name, text]) => [name, parsePolicy(name, text)]));
policies.default = buildDefaultPolicy();
policies.root = buildRootPolicy();

function aclOf(names: string): ReturnType<typeof compileAcl> {
  return compileAcl(names.split('+').map((name) => policies[name] ?? expect.fail(`no policy ${name}`)));
}

type Row = [names: string, operation: Operation, path: string, allowed: boolean, extra?: Partial<AclRequest> & { reason?: DenyReason }];

const table: Row[] = [
  // Exact, `*` and `+`: an exact rule wins outright; among globs the first wildcard's position decides first.
  ['mixed', 'read', 'secret/data/app', true], // exact
  ['mixed', 'update', 'secret/data/app', false, { reason: 'capability' }], // exact wins over app* (which matches too)
  ['mixed', 'delete', 'secret/data/app', false, { reason: 'capability' }], // exact beats app*
  ['mixed', 'update', 'secret/data/app/db', true], // longest prefix app/ over app
  ['mixed', 'delete', 'secret/data/apple', true], // app* prefix
  ['mixed', 'read', 'secret/data/apple', false, { reason: 'capability' }], // app* governs, + loses (earlier wildcard)
  ['mixed', 'patch', 'secret/data/web/config', true], // + segment
  ['mixed', 'patch', 'secret/data/app/config', false, { reason: 'capability' }], // app/* wildcard at 16 beats + at 12
  ['mixed', 'list', 'secret/data/web', true], // + matches the path without the list slash
  ['mixed', 'read', 'secret/data/web/other', false, { reason: 'no_rule' }],
  // Priority between `+` and `*` rules.
  ['ranked', 'read', 'secret/x/team/a', false, { reason: 'capability' }], // +/+/+ (no *) beats +/team/*
  ['ranked', 'update', 'secret/x/team/a', true, { existing: false }], // create via +/+/+
  ['ranked', 'read', 'secret/x/team/a/b', false, { reason: 'deny' }], // secret/* (0 +) beats +/team/* (1 +)
  ['ranked', 'update', 'secret/data/z/y', true], // data/+/* wildcard at 12 beats everything at 7
  ['ranked', 'delete', 'secret/a/b/foo', true], // +/+/foo: fewer + than +/+/+
  ['ranked', 'delete', 'secret/data/b/foo', false, { reason: 'capability' }], // data/+/* wins by position
  ['ranked', 'read', 'secret/other', false, { reason: 'deny' }],
  // The same pattern in several policies merges; deny on it wins; other patterns stay apart.
  ['shared_read+shared_update', 'read', 'secret/data/shared/x', true],
  ['shared_read+shared_update', 'update', 'secret/data/shared/x', true],
  ['shared_read+shared_deny', 'read', 'secret/data/shared/x', false, { reason: 'deny' }],
  ['shared_deny+shared_read', 'list', 'secret/data/shared/', false, { reason: 'deny' }],
  ['shared_read+shared_deny+shared_update', 'read', 'secret/data/shared/open', true], // exact rule, deny glob does not reach it
  ['shared_read+shared_deny+shared_update', 'update', 'secret/data/shared/other', false, { reason: 'deny' }],
  ['deny_in_list', 'read', 'secret/data/mixed', false, { reason: 'deny' }],
  // Create versus update, decided by whether the target exists; patch is its own capability.
  ['writes', 'update', 'secret/data/new-only', true, { existing: false }],
  ['writes', 'update', 'secret/data/new-only', false, { existing: true, reason: 'capability' }],
  ['writes', 'update', 'secret/data/update-only', false, { existing: false, reason: 'capability' }],
  ['writes', 'update', 'secret/data/update-only', true, { existing: true }],
  ['writes', 'update', 'secret/data/update-only', true], // no existence check: stays update
  ['writes', 'create', 'secret/data/new-only', true],
  ['writes', 'patch', 'secret/data/patchable', true],
  ['writes', 'patch', 'secret/data/update-only', false, { reason: 'capability' }],
  ['writes', 'update', 'secret/data/patchable', false, { existing: true, reason: 'capability' }],
  // LIST with and without the trailing slash, on rules with and without one.
  ['lists', 'list', 'secret/metadata/team/', true], // exact rule without the slash
  ['lists', 'list', 'secret/metadata/team', true], // slash added as the HTTP layer does
  ['lists', 'list', 'secret/metadata/ops/', true],
  ['lists', 'list', 'secret/metadata/ops', true],
  ['lists', 'read', 'secret/metadata/ops', false, { reason: 'no_rule' }],
  ['lists', 'list', 'secret/metadata/dev/', true],
  ['lists', 'list', 'secret/metadata/dev/sub/', true],
  ['lists', 'list', 'secret/metadata/qa-team/', true],
  ['lists', 'list', 'secret/metadata/x/logs/', true], // + rule without the slash matches a LIST
  ['lists', 'list', 'secret/metadata/', false, { reason: 'no_rule' }],
  ['list_deny_parent', 'list', 'secret/metadata/app/', false, { reason: 'deny' }], // Vault matches app without its slash first
  ['list_deny_parent', 'list', 'secret/metadata/app/sub/', true],
  // KV v2 paths exactly as Vault sees them.
  ['kv', 'read', 'secret/data/app/db', true],
  ['kv', 'read', 'secret/metadata/app/db', true],
  ['kv', 'delete', 'secret/metadata/app/db', false, { reason: 'capability' }],
  ['kv', 'delete', 'secret/data/app/db', false, { reason: 'capability' }],
  ['kv', 'update', 'secret/delete/app/db', true],
  ['kv', 'update', 'secret/undelete/app/db', true],
  ['kv', 'update', 'secret/destroy/app/db', false, { reason: 'no_rule' }],
  ['kv', 'read', 'secret/app/db', false, { reason: 'no_rule' }],
  ['kv', 'list', 'secret/metadata/app/', true],
  ['kv', 'read', 'secret/subkeys/app/db', false, { reason: 'no_rule' }],
  // Root-protected paths need sudo as well.
  ['admin', 'update', 'sys/audit/file', false, { reason: 'sudo' }],
  ['admin', 'read', 'sys/audit', true],
  ['admin', 'update', 'sys/mounts/kv2', true],
  ['admin', 'update', 'sys/auth/userpass', true],
  ['admin', 'list', 'auth/token/accessors/', false, { reason: 'sudo' }],
  ['admin', 'update', 'auth/token/revoke-orphan/abc', true],
  ['root', 'update', 'sys/audit/file', true],
  ['root', 'delete', 'anything/at/all', true],
  // Several policies on one token.
  ['h1+h2', 'read', 'secret/data/b/x', true],
  ['h1+h2', 'read', 'secret/data/a/x', true],
  ['h1+h2', 'list', 'secret/data/a/', true],
  ['h1', 'read', 'secret/data/b/x', false, { reason: 'no_rule' }],
  ['h1+default', 'read', 'auth/token/lookup-self', true],
  ['h1', 'read', 'auth/token/lookup-self', false, { reason: 'no_rule' }],
  ['h1+default', 'update', 'auth/token/renew-self', true],
  // Parameter constraints.
  ['params', 'update', 'secret/restricted', true, { existing: false, data: { foo: 'anything', bar: 'zip' } }],
  ['params', 'update', 'secret/restricted', false, { existing: false, data: { bar: 'zop' }, reason: 'allowed_parameter' }],
  ['params', 'update', 'secret/restricted', false, { existing: true, data: { other: 'x' }, reason: 'allowed_parameter' }],
  ['params', 'update', 'secret/restricted', true, { existing: true, data: {} }],
  ['params', 'update', 'secret/restricted', true, { data: { bar: 'zip,zap' } }], // comma list, every part allowed
  ['params', 'create', 'secret/required', false, { data: { bar: 1 }, reason: 'required_parameter' }],
  ['params', 'create', 'secret/required', true, { data: { bar: 1, baz: 2 } }],
  ['params', 'read', 'secret/required', false, { reason: 'required_parameter' }], // reads are checked too
  ['params', 'create', 'secret/denied', false, { data: { bar: 'zap-it' }, reason: 'denied_parameter' }],
  ['params', 'create', 'secret/denied', false, { data: { bar: 'other, zip' }, reason: 'denied_parameter' }],
  ['params', 'create', 'secret/denied', true, { data: { bar: 'other', x: 1 } }],
  ['params', 'create', 'secret/nothing', false, { data: { a: 1 }, reason: 'denied_parameter' }],
  ['params', 'create', 'secret/nothing', true, { data: {} }],
  ['params', 'create', 'secret/open', true, { data: { bar: 'zip', any: 'thing' } }],
  ['params', 'create', 'secret/open', false, { data: { bar: 'zop' }, reason: 'allowed_parameter' }],
  ['params', 'update', 'secret/globbed', true, { data: { BAR: 'baz/quux' } }],
  ['params', 'update', 'secret/globbed', true, { data: { bar: 'my-suffix' } }],
  ['params', 'update', 'secret/globbed', false, { data: { bar: 'nope' }, reason: 'allowed_parameter' }],
  ['params', 'update', 'secret/globbed', true, { data: { bar: ['baz/a', 'x-suffix'] } }],
  ['params', 'update', 'secret/globbed', false, { data: { bar: ['baz/a', 'no'] }, reason: 'allowed_parameter' }],
  ['params', 'update', 'secret/numbers', true, { data: { ttl: 300 } }],
  ['params', 'update', 'secret/numbers', false, { data: { ttl: 301 }, reason: 'allowed_parameter' }],
  // Wrapping TTL bounds admit only wrapped requests within them.
  ['wrapped', 'read', 'secret/wrapped', false, { reason: 'wrapping_ttl' }],
  ['wrapped', 'read', 'secret/wrapped', true, { wrapTtl: 60 }],
  ['wrapped', 'read', 'secret/wrapped', false, { wrapTtl: 120, reason: 'wrapping_ttl' }],
  // Odd corners: a leading slash, identity templating, an empty block, the legacy form.
  ['odd', 'read', 'secret/data/leading', true],
  ['odd', 'read', '/secret/data/leading', true],
  ['odd', 'read', 'secret/data/{{identity.entity.id}}/x', false, { reason: 'no_rule' }],
  ['odd', 'read', 'secret/data/empty', false, { reason: 'capability' }],
  ['odd', 'update', 'secret/data/legacy/x', true, { existing: false }],
  ['odd', 'patch', 'secret/data/legacy/x', false, { reason: 'capability' }],
];

describe('ACL decisions', () => {
  it('has a table of at least 60 cases', () => {
    expect(table.length).toBeGreaterThanOrEqual(60);
  });

  it.each(table)('%s: %s %s → %s', (names, operation, path, allowed, extra = {}) => {
    const { reason, ...request } = extra;
    const decision = aclOf(names).decide({ path, operation, ...request });
    expect(decision.allowed).toBe(allowed);
    expect(decision.reason).toBe(allowed ? undefined : reason);
  });
});

describe('ACL answers beside the decision', () => {
  it('reports the governing rule, the effective operation and the granting policies', () => {
    const decision = aclOf('h1+h2').decide({ path: 'secret/data/a/x', operation: 'read' });
    expect(decision).toMatchObject({ allowed: true, rule: 'secret/data/a/*', capabilities: ['list', 'read'], grantingPolicies: ['h1'], root: false });
    expect(aclOf('h1+h2').decide({ path: 'secret/data/a/', operation: 'list' }).grantingPolicies).toEqual(['h2']);
    expect(aclOf('writes').decide({ path: 'secret/data/new-only', operation: 'update', existing: false }).operation).toBe('create');
    expect(aclOf('mixed').decide({ path: 'secret/data/nothing/here/at/all', operation: 'read' })).toMatchObject({ rule: undefined, capabilities: [] });
  });

  it('says when sudo was needed and whether the rule or root held it', () => {
    expect(aclOf('admin').decide({ path: 'sys/audit', operation: 'read' })).toMatchObject({ allowed: true, sudoRequired: true, sudo: true });
    expect(aclOf('admin').decide({ path: 'sys/mounts/kv2', operation: 'update' })).toMatchObject({ allowed: true, sudoRequired: false, sudo: false });
    expect(aclOf('admin').decide({ path: 'sys/audit/file', operation: 'update' })).toMatchObject({ allowed: false, sudoRequired: true, sudo: false, reason: 'sudo' });
    expect(aclOf('root').decide({ path: 'sys/audit/file', operation: 'update' })).toMatchObject({ allowed: true, root: true, sudo: true, sudoRequired: true, grantingPolicies: ['root'] });
  });

  it('answers sys/capabilities: sorted names, deny for nothing, root for root', () => {
    expect(aclOf('shared_read+shared_update').capabilities('secret/data/shared/x')).toEqual(['list', 'read', 'update']);
    expect(aclOf('shared_read+shared_deny').capabilities('secret/data/shared/x')).toEqual(['deny']);
    expect(aclOf('h1').capabilities('secret/data/b/x')).toEqual(['deny']);
    expect(aclOf('odd').capabilities('secret/data/empty')).toEqual(['deny']);
    expect(aclOf('lists').capabilities('secret/metadata/team/')).toEqual(['list']);
    expect(aclOf('admin').capabilities('/sys/audit')).toEqual(['read', 'sudo']);
    expect(aclOf('root').capabilities('anything')).toEqual(['root']);
    expect(compileAcl([]).capabilities('secret/data/x')).toEqual(['deny']);
  });

  it('treats a root policy among others as root', () => {
    expect(aclOf('h1+root').root).toBe(true);
    expect(aclOf('h1').root).toBe(false);
  });
});

// The security section of the seed guide: `vault policy write myapp-policy` with read on
// secret/data/myapp/* and secret/data/api-keys/openai, and nothing else.
describe("the guide's myapp-policy", () => {
  const acl = compileAcl([
    buildDefaultPolicy(),
    parsePolicy(
      'myapp-policy',
      `path "secret/data/myapp/*" {
capabilities = ["read"]
}
path "secret/data/api-keys/openai" {
capabilities = ["read"]
}
`,
    ),
  ]);
  const decide = (operation: Operation, path: string, existing?: boolean): boolean => acl.decide({ operation, path, ...(existing === undefined ? {} : { existing }) }).allowed;

  it('reads what it grants', () => {
    expect(decide('read', 'secret/data/myapp/database')).toBe(true);
    expect(decide('read', 'secret/data/myapp/config')).toBe(true);
    expect(decide('read', 'secret/data/api-keys/openai')).toBe(true);
    expect(acl.capabilities('secret/data/myapp/database')).toEqual(['read']);
  });

  it('reads nothing else', () => {
    expect(decide('read', 'secret/data/api-keys/anthropic')).toBe(false);
    expect(decide('read', 'secret/data/api-keys/github')).toBe(false);
    expect(decide('read', 'secret/metadata/myapp/database')).toBe(false);
    expect(decide('list', 'secret/metadata/myapp/')).toBe(false);
  });

  it('writes nothing', () => {
    expect(decide('update', 'secret/data/myapp/database', true)).toBe(false);
    expect(decide('update', 'secret/data/myapp/new', false)).toBe(false);
    expect(decide('patch', 'secret/data/myapp/config')).toBe(false);
    expect(decide('delete', 'secret/data/myapp/config')).toBe(false);
    expect(decide('update', 'secret/data/api-keys/openai', true)).toBe(false);
    expect(decide('update', 'secret/delete/myapp/config')).toBe(false);
  });

  it('passes the CLI preflight for secret/ only', () => {
    expect(acl.hasMountAccess('secret/')).toBe(true);
    expect(acl.hasMountAccess('cubbyhole/')).toBe(false);
  });

  it('keeps what the default policy grants', () => {
    expect(decide('read', 'auth/token/lookup-self')).toBe(true);
    expect(decide('update', 'sys/capabilities-self')).toBe(true);
  });
});
