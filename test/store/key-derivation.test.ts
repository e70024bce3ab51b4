import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkKdfParams, createKdfParams } from '../../src/store/key-derivation.js';

describe('scrypt parameter bounds', () => {
  const fresh = createKdfParams(randomBytes);

  it('accepts the parameters secretrun writes, and up to 8 times their cost', () => {
    expect(checkKdfParams(fresh)).toBeUndefined();
    expect(checkKdfParams({ ...fresh, n: 2 ** 18 })).toBeUndefined();
    expect(checkKdfParams({ ...fresh, n: 2 ** 16, r: 8, p: 4 })).toBeUndefined();
  });

  it('refuses what would stall, crash or weaken the derivation, naming the parameters', () => {
    const bad: Record<string, unknown>[] = [
      { ...fresh, n: 2 ** 22 },
      { ...fresh, n: 3 },
      { ...fresh, n: 0 },
      { ...fresh, n: -32768 },
      { ...fresh, n: 32768.5 },
      { ...fresh, n: '32768' },
      { ...fresh, n: 2 ** 60 },
      { ...fresh, r: 0 },
      { ...fresh, r: 1e9 },
      { ...fresh, p: 1000 },
      { ...fresh, n: 2 ** 20, r: 8 },
      { ...fresh, n: 16, r: 1, p: 1 },
      { ...fresh, salt: 'c2FsdA==' },
      { ...fresh, salt: 7 },
      { ...fresh, alg: 'argon2id' },
    ];
    for (const kdf of bad) expect([kdf, checkKdfParams(kdf)]).toEqual([kdf, expect.stringMatching(/^its (scrypt|kdf)/)]);
    expect(checkKdfParams({ ...fresh, n: 2 ** 22 })).toContain('N=4194304 r=8 p=1');
  });
});
