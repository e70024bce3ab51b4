import { describe, expect, it } from 'vitest';
import { compileAcl } from '../../src/auth/acl.js';
import { buildRootPolicy } from '../../src/auth/builtin-policies.js';
import { parsePolicy } from '../../src/auth/policy-parse.js';

describe('mount access (the CLI preflight)', () => {
  const cases: Array<[policy: string, mount: string, allowed: boolean]> = [
    ['path "secret/data/app/db" { capabilities = ["read"] }', 'secret/', true], // an exact rule below the mount
    ['path "secret/data/app/db" { capabilities = ["read"] }', 'other/', false],
    ['path "secret/data/*" { capabilities = ["list"] }', 'secret/', true], // a * rule below the mount
    ['path "secret*" { capabilities = ["read"] }', 'secret/', true], // the mount path itself is covered
    ['path "+/data/x" { capabilities = ["read"] }', 'secret/', true], // a + rule that reaches the mount
    ['path "other/+/x" { capabilities = ["read"] }', 'secret/', false],
    ['path "team/+/x" { capabilities = ["read"] }', 'team/kv/', true],
    ['path "secret/*" { capabilities = ["deny"] }', 'secret/', false],
    ['path "secret/data/x" { capabilities = ["deny"] }', 'secret/', false],
    ['path "secret/data/x" { capabilities = ["subscribe"] }', 'secret/', false],
    ['path "secret/*" { capabilities = ["deny"] }\npath "secret/data/x" { capabilities = ["read"] }', 'secret/', true],
    ['path "auth/userpass/login/*" { capabilities = ["create", "update"] }', 'auth/userpass/', true],
    ['', 'secret/', false],
  ];
  it.each(cases)('%s on %s → %s', (text, mount, allowed) => {
    expect(compileAcl([parsePolicy('p', text)]).hasMountAccess(mount)).toBe(allowed);
  });

  it('lets root see every mount', () => {
    expect(compileAcl([buildRootPolicy()]).hasMountAccess('anything/')).toBe(true);
  });
});
