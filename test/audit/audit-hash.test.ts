// Vault's HMAC of audited values: the identified form, and which values of a structure it
// replaces (strings everywhere, numbers only where they are stored values, never keys).
import { describe, expect, it } from 'vitest';
import { createHasher, hashAuditValue, hashValues } from '../../src/audit/audit-hash.js';

const salt = '4c9a4a9e-8f2d-4b1a-9c3e-0d5b7e6f1a2b';

describe('hashAuditValue', () => {
  it('is hmac-sha256 keyed with the salt text, hex, with its identifier (vectors from openssl dgst -hmac)', () => {
    expect(hashAuditValue(salt, 'secret-value')).toBe('hmac-sha256:43e5a8d7081ea9cad2843d939a7bb1b926492155558baa95fe9b24615e794852');
    expect(hashAuditValue(salt, '')).toBe('hmac-sha256:3d0d664ed3895bb22a6d182013aa874cd58a9cabf88a03b0cd0c42176d83d78a');
  });
});

describe('hashValues', () => {
  const hash = createHasher(salt);
  const value = {
    password: 'hunter2',
    nested: { list: ['a', 1, true, null, { deep: 'b' }] },
    count: 3,
    flag: false,
    nothing: null,
  };

  it('hashes every string at any depth and leaves keys, booleans and null', () => {
    expect(hashValues(value, hash, false)).toEqual({
      password: hash('hunter2'),
      nested: { list: [hash('a'), 1, true, null, { deep: hash('b') }] },
      count: 3,
      flag: false,
      nothing: null,
    });
  });

  it('hashes numbers too when they are stored values (Go json.Number)', () => {
    expect(hashValues(value, hash, true)).toMatchObject({ count: hash('3'), nested: { list: [hash('a'), hash('1'), true, null, { deep: hash('b') }] } });
  });

  it('never changes its input', () => {
    const copy = structuredClone(value);
    hashValues(value, hash, true);
    expect(value).toEqual(copy);
  });
});
