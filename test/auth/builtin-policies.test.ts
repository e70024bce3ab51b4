import { describe, expect, it } from 'vitest';
import { compileAcl } from '../../src/auth/acl.js';
import { buildDefaultPolicy, buildRootPolicy, checkPolicyDeletable, checkPolicyWritable } from '../../src/auth/builtin-policies.js';
import { normalizePolicyName } from '../../src/auth/policy.js';

describe('the built-in policies', () => {
  it('default lets a token look itself up, renew, revoke and ask its capabilities, and nothing else', () => {
    const acl = compileAcl([buildDefaultPolicy()]);
    expect(acl.decide({ path: 'auth/token/lookup-self', operation: 'read' }).allowed).toBe(true);
    expect(acl.decide({ path: 'auth/token/renew-self', operation: 'update' }).allowed).toBe(true);
    expect(acl.decide({ path: 'auth/token/revoke-self', operation: 'update' }).allowed).toBe(true);
    expect(acl.decide({ path: 'sys/capabilities-self', operation: 'update' }).allowed).toBe(true);
    expect(acl.decide({ path: 'auth/token/lookup', operation: 'update' }).allowed).toBe(false);
    expect(acl.decide({ path: 'secret/data/x', operation: 'read' }).allowed).toBe(false);
    expect(acl.hasMountAccess('secret/')).toBe(false);
  });

  it('root allows everything', () => {
    const acl = compileAcl([buildRootPolicy()]);
    expect(acl.root).toBe(true);
    expect(acl.decide({ path: 'sys/raw/anything', operation: 'delete' }).allowed).toBe(true);
  });

  it('refuses changing root and deleting root or default, with Vault wording', () => {
    expect(() => checkPolicyWritable(' ROOT ')).toThrow('cannot update "root" policy');
    expect(() => checkPolicyWritable('default')).not.toThrow();
    expect(() => checkPolicyDeletable('root')).toThrow('cannot delete "root" policy');
    expect(() => checkPolicyDeletable('Default')).toThrow('cannot delete default policy');
    expect(() => checkPolicyDeletable('myapp')).not.toThrow();
  });

  it('normalises names as Vault stores them', () => {
    expect(normalizePolicyName('  MyApp-Policy ')).toBe('myapp-policy');
  });
});
