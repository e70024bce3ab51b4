import { describe, expect, it } from 'vitest';
import { absentUserHash, hashPassword, verifyPassword } from '../../src/auth/password-hash.js';

describe('password hashes', () => {
  it('are scrypt with a fresh salt, hold nothing of the password, and verify only the password', async () => {
    const password = 'correct-horse-9f1e';
    const first = await hashPassword(password);
    const second = await hashPassword(password);
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain(password);
    expect(await verifyPassword(password, first)).toBe(true);
    expect(await verifyPassword(password, second)).toBe(true);
    expect(await verifyPassword('correct-horse-9f1f', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('match nothing when absent or malformed', async () => {
    expect(await verifyPassword('anything', absentUserHash)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$x$8$1$AA==$AA==')).toBe(false);
  });

  it('check keeps working with the parameters stored beside an older hash', async () => {
    const legacy = `scrypt$16384$8$1$${Buffer.from('0123456789abcdef').toString('base64')}$`;
    const { scryptSync } = await import('node:crypto');
    const hash = scryptSync('old-password', Buffer.from('0123456789abcdef'), 32, { N: 16384, r: 8, p: 1 }).toString('base64');
    expect(await verifyPassword('old-password', `${legacy}${hash}`)).toBe(true);
  });
});
