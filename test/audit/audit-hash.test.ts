// Vault's HMAC of audited values: the identified form, keyed with the device's salt text.
import { describe, expect, it } from 'vitest';
import { createHasher, hashAuditValue } from '../../src/audit/audit-hash.js';

const salt = '4c9a4a9e-8f2d-4b1a-9c3e-0d5b7e6f1a2b';

describe('hashAuditValue', () => {
  it('is hmac-sha256 keyed with the salt text, hex, with its identifier (vectors from openssl dgst -hmac)', () => {
    expect(hashAuditValue(salt, 'secret-value')).toBe('hmac-sha256:43e5a8d7081ea9cad2843d939a7bb1b926492155558baa95fe9b24615e794852');
    expect(hashAuditValue(salt, '')).toBe('hmac-sha256:3d0d664ed3895bb22a6d182013aa874cd58a9cabf88a03b0cd0c42176d83d78a');
  });
});

describe('createHasher', () => {
  it('gives the same hashes, remembered or not, for short and long values', () => {
    const hash = createHasher(salt);
    const long = 'x'.repeat(5000);
    for (let round = 0; round < 2; round++) {
      expect(hash('secret-value')).toBe(hashAuditValue(salt, 'secret-value'));
      expect(hash(long)).toBe(hashAuditValue(salt, long));
    }
    for (let i = 0; i < 5000; i++) expect(hash(`v${i}`)).toBe(hashAuditValue(salt, `v${i}`));
  });
});
