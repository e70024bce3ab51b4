import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildFingerprint,
  createIdentity,
  identityFromSecret,
  parsePublicKey,
  parseSecretKey,
  renderPublicKey,
  renderSecretKey,
} from '../../../src/store/recipients/identity.js';
import { seededRandom } from './seeded-random.js';

// The example key pair of age's specification (c2sp.org/age): secret 0x42 × 32.
const ageSecret = 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX';
const agePublic = 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj';

describe('key pairs and their text forms', () => {
  it("reproduce age's example key pair: the same secret gives the same texts", () => {
    const identity = identityFromSecret(Buffer.alloc(32, 0x42));
    expect(renderSecretKey(identity.secret)).toBe(ageSecret);
    expect(renderPublicKey(identity.publicKey)).toBe(agePublic);
    const secret = parseSecretKey(ageSecret);
    const publicKey = parsePublicKey(agePublic);
    expect(secret.ok && secret.key.equals(identity.secret)).toBe(true);
    expect(publicKey.ok && publicKey.key.equals(identity.publicKey)).toBe(true);
  });

  it('creates key pairs from the randomness given', () => {
    const a = createIdentity(seededRandom('a'));
    expect(createIdentity(seededRandom('a'))).toEqual(a);
    expect(createIdentity(seededRandom('b')).publicKey.equals(a.publicKey)).toBe(false);
    expect(identityFromSecret(a.secret).publicKey.equals(a.publicKey)).toBe(true);
  });

  it('refuses mistyped, cut, mixed-case and wrong-kind keys with a reason', () => {
    const typo = `${agePublic.slice(0, 20)}${agePublic[20] === 'q' ? 'p' : 'q'}${agePublic.slice(21)}`;
    expect(parsePublicKey(typo)).toEqual({ ok: false, problem: expect.stringContaining('checksum') });
    expect(parsePublicKey(agePublic.slice(0, -1))).toMatchObject({ ok: false });
    expect(parsePublicKey(ageSecret)).toEqual({ ok: false, problem: 'it does not start with "age1"' });
    expect(parsePublicKey('ssh-ed25519 AAAA')).toEqual({ ok: false, problem: 'it does not start with "age1"' });
    expect(parsePublicKey(agePublic.toUpperCase())).toMatchObject({ ok: true });
    expect(parseSecretKey(ageSecret.toLowerCase())).toEqual({ ok: false, problem: expect.stringContaining('upper case') });
    expect(parseSecretKey(agePublic.toUpperCase())).toEqual({ ok: false, problem: 'it does not start with "AGE-SECRET-KEY-1"' });
    // 31 bytes under the right prefix.
    const short = renderPublicKey(Buffer.alloc(31, 1));
    expect(parsePublicKey(short)).toEqual({ ok: false, problem: 'it holds 31 bytes, not 32' });
    expect(parsePublicKey(`  ${agePublic}\n`)).toMatchObject({ ok: true });
  });

  it('fingerprints a public key as the first 8 bytes of its SHA-256, in hex', () => {
    const identity = identityFromSecret(Buffer.alloc(32, 0x42));
    const fp = buildFingerprint(identity.publicKey);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(fp).toBe(createHash('sha256').update(identity.publicKey).digest('hex').slice(0, 16));
    expect(buildFingerprint(createIdentity(seededRandom('other')).publicKey)).not.toBe(fp);
  });
});
