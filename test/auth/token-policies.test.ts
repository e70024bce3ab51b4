import { describe, expect, it } from 'vitest';
import { resolveTokenPolicies, sanitizePolicies } from '../../src/auth/token-policies.js';

describe('sanitizePolicies', () => {
  it('trims, lower-cases, drops empties, dedupes, sorts, adds default, and keeps root alone', () => {
    expect(sanitizePolicies([' Dev', 'ops', '', 'dev'], true)).toEqual(['default', 'dev', 'ops']);
    expect(sanitizePolicies(['dev', 'root'], true)).toEqual(['root']);
    expect(sanitizePolicies([], false)).toEqual([]);
  });
});

describe('resolveTokenPolicies', () => {
  const parent = ['default', 'dev', 'ops'];
  it('inherits the parent\'s policies when none are asked for', () => {
    expect(resolveTokenPolicies({ requested: [], noDefaultPolicy: false, parentPolicies: parent, sudo: false })).toEqual(parent);
    expect(resolveTokenPolicies({ requested: [], noDefaultPolicy: true, parentPolicies: parent, sudo: false })).toEqual(['dev', 'ops']);
  });

  it('allows a subset, adding default when the parent has it, unless sudo lets any through', () => {
    expect(resolveTokenPolicies({ requested: ['dev'], noDefaultPolicy: false, parentPolicies: parent, sudo: false })).toEqual(['default', 'dev']);
    expect(resolveTokenPolicies({ requested: ['dev'], noDefaultPolicy: false, parentPolicies: ['dev'], sudo: false })).toEqual(['dev']);
    expect(() => resolveTokenPolicies({ requested: ['admin'], noDefaultPolicy: false, parentPolicies: parent, sudo: false })).toThrow('child policies must be subset of parent');
    expect(resolveTokenPolicies({ requested: ['admin'], noDefaultPolicy: false, parentPolicies: parent, sudo: true })).toEqual(['admin', 'default']);
  });

  it('strips an explicit default with no_default_policy and refuses internal policies', () => {
    expect(resolveTokenPolicies({ requested: ['default', 'dev'], noDefaultPolicy: true, parentPolicies: parent, sudo: false })).toEqual(['dev']);
    expect(() => resolveTokenPolicies({ requested: ['response-wrapping'], noDefaultPolicy: false, parentPolicies: ['root'], sudo: true })).toThrow('cannot assign policy "response-wrapping"');
  });
});
