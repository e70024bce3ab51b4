import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derivePublicKey, sharedSecret } from '../../../src/store/recipients/x25519.js';

// The slow, exact route through DER, to check the fast JWK route against.
const pkcs8 = (secret: Buffer) => createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), secret]), format: 'der', type: 'pkcs8' });
const rawPublic = (key: ReturnType<typeof createPublicKey>) => Buffer.from(key.export({ format: 'der', type: 'spki' }).subarray(12));

describe('X25519 over raw keys', () => {
  it('derives the same public key as the DER route, for many secrets', () => {
    for (let i = 0; i < 200; i++) {
      const secret = randomBytes(32);
      expect(derivePublicKey(secret).equals(rawPublic(createPublicKey(pkcs8(secret))))).toBe(true);
    }
  });

  it("agrees with node's own key pairs on both sides of the exchange", () => {
    for (let i = 0; i < 50; i++) {
      const a = randomBytes(32);
      const b = generateKeyPairSync('x25519');
      const bSecret = Buffer.from(b.privateKey.export({ format: 'jwk' }).d as string, 'base64url');
      const bPublic = rawPublic(b.publicKey);
      const ours = sharedSecret(a, bPublic);
      expect(ours?.equals(diffieHellman({ privateKey: b.privateKey, publicKey: createPublicKey(pkcs8(a)) }))).toBe(true);
      expect(ours?.equals(sharedSecret(bSecret, derivePublicKey(a)) as Buffer)).toBe(true);
    }
  });

  it('refuses low-order and malformed public keys', () => {
    const secret = randomBytes(32);
    expect(sharedSecret(secret, Buffer.alloc(32))).toBeUndefined();
    expect(sharedSecret(secret, Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]))).toBeUndefined();
    expect(sharedSecret(secret, Buffer.alloc(31, 9))).toBeUndefined();
  });
});
