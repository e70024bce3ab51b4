import { describe, expect, it } from 'vitest';
import { compileAcl } from '../../src/auth/acl.js';
import { parsePolicy } from '../../src/auth/policy-parse.js';

// The same pattern in several policies merges as acl.go NewACL merges it.
function merged(...bodies: string[]): ReturnType<typeof compileAcl> {
  return compileAcl(bodies.map((body, i) => parsePolicy(`p${i}`, `path "secret/x" { capabilities = ["create"] ${body} }`)));
}
const create = (acl: ReturnType<typeof compileAcl>, data: Record<string, unknown>): boolean => acl.decide({ path: 'secret/x', operation: 'create', data }).allowed;

describe('merging one pattern across policies', () => {
  it('concatenates allowed values; an empty list (any value) wins', () => {
    const both = merged('allowed_parameters = { "bar" = ["zip"] }', 'allowed_parameters = { "bar" = ["zap"] }');
    expect(create(both, { bar: 'zip' })).toBe(true);
    expect(create(both, { bar: 'zap' })).toBe(true);
    expect(create(both, { bar: 'zop' })).toBe(false);
    const any = merged('allowed_parameters = { "bar" = [] }', 'allowed_parameters = { "bar" = ["zap"] }');
    expect(create(any, { bar: 'zop' })).toBe(true);
  });

  it('keeps one policy\'s constraints when the other has none (as Vault does)', () => {
    const acl = merged('allowed_parameters = { "foo" = [] }', '');
    expect(create(acl, { foo: 1 })).toBe(true);
    expect(create(acl, { other: 1 })).toBe(false);
  });

  it('adds up required parameters and denied values', () => {
    const required = merged('required_parameters = ["a"]', 'required_parameters = ["b"]');
    expect(create(required, { a: 1 })).toBe(false);
    expect(create(required, { a: 1, b: 2 })).toBe(true);
    const denied = merged('denied_parameters = { "bar" = ["zip"] }', 'denied_parameters = { "bar" = ["zap"] }');
    expect(create(denied, { bar: 'zap' })).toBe(false);
    expect(create(denied, { bar: 'zip' })).toBe(false);
    expect(create(denied, { bar: 'zop' })).toBe(true);
  });

  it('keeps the shorter of two wrapping bounds', () => {
    const acl = merged('max_wrapping_ttl = "90s"', 'max_wrapping_ttl = "60s"');
    expect(acl.decide({ path: 'secret/x', operation: 'create', wrapTtl: 75 }).allowed).toBe(false);
    expect(acl.decide({ path: 'secret/x', operation: 'create', wrapTtl: 45 }).allowed).toBe(true);
  });

  it('lets deny in either policy erase the rest, constraints included', () => {
    const deny = compileAcl([parsePolicy('a', 'path "secret/x" { capabilities = ["create", "read"] }'), parsePolicy('b', 'path "secret/x" { policy = "deny" }')]);
    expect(deny.decide({ path: 'secret/x', operation: 'read' })).toMatchObject({ allowed: false, reason: 'deny', capabilities: ['deny'] });
  });
});
