import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, defaultPasswordPolicy, generatePassword } from '../../src/database/password-policy.js';
import { errorOf } from '../kv/kv-harness.js';

// The default alphabet, sorted as Vault sorts it: - 0-9 A-Z a-z (63 characters).
const alphabet = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe("Vault's default password policy", () => {
  it('makes 20 characters of [a-zA-Z0-9-] with at least one of each kind', () => {
    for (let i = 0; i < 500; i += 1) {
      const password = generatePassword(defaultPasswordPolicy, (size) => randomBytes(size));
      expect(password).toMatch(/^[a-zA-Z0-9-]{20}$/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/-/);
    }
  });

  it('maps each byte below 252 (4 × 63) onto the sorted alphabet and skips the rest', () => {
    // 0 → '-', 1 → '0', 11 → 'A', 37 → 'a', 63 → '-' again; 252..255 are skipped.
    const bytes = [252, 0, 255, 1, 11, 37, ...Array.from({ length: 40 }, (_, i) => (i * 7) % 63)];
    const password = generatePassword(defaultPasswordPolicy, (size) => Uint8Array.from(bytes.slice(0, size)));
    expect(password.slice(0, 4)).toBe('-0Aa');
    expect([...password].every((char) => alphabet.includes(char))).toBe(true);
  });

  it('draws again until every rule passes', () => {
    const draws = [Uint8Array.from({ length: 30 }, () => 37), Uint8Array.from({ length: 30 }, (_, i) => [0, 1, 11, 37][i % 4] ?? 0)];
    let calls = 0;
    const password = generatePassword(defaultPasswordPolicy, () => draws[Math.min(calls++, 1)] ?? new Uint8Array());
    expect(calls).toBe(2);
    expect(password).toBe('-0Aa'.repeat(5));
  });
});

describe('named policies', () => {
  it('honours length, charsets and minimum counts', () => {
    const policy = { length: 32, rules: [{ charset: 'abc', minChars: 2 }, { charset: '!@', minChars: 3 }] };
    for (let i = 0; i < 100; i += 1) {
      const password = generatePassword(policy, (size) => randomBytes(size));
      expect(password).toMatch(/^[abc!@]{32}$/);
      expect(password.replace(/[^abc]/g, '').length).toBeGreaterThanOrEqual(2);
      expect(password.replace(/[^!@]/g, '').length).toBeGreaterThanOrEqual(3);
    }
  });

  it("reports what makes a policy unusable, in Vault's words", async () => {
    expect(checkPasswordPolicy({ length: 0, rules: [{ charset: 'a', minChars: 0 }] })).toEqual(['length must be > 0']);
    expect(checkPasswordPolicy({ length: 2, rules: [{ charset: 'a', minChars: 2 }, { charset: 'b', minChars: 1 }] })).toEqual([
      'specified rules require at least 3 characters but 2 is specified',
    ]);
    expect(checkPasswordPolicy({ length: 4, rules: [] })).toEqual(['no charset specified']);
    expect(checkPasswordPolicy({ length: 4, rules: [{ charset: 'a\u0007', minChars: 0 }] })).toEqual(['non-printable character in charset']);
    const error = await errorOf(() => generatePassword({ length: 0, rules: [] }, (size) => randomBytes(size)));
    expect(error.message).toBe('invalid password policy: length must be > 0; no charset specified');
  });

  it('gives up on a policy no draw can satisfy instead of spinning forever', async () => {
    const error = await errorOf(() => generatePassword({ length: 3, rules: [{ charset: 'ab', minChars: 2 }, { charset: 'c', minChars: 1 }] }, (size) => new Uint8Array(size)));
    expect(error.message).toBe('unable to generate a password that satisfies the password policy');
  });
});
