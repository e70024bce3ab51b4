import { createCipheriv, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIdentity, identityFromSecret } from '../../../src/store/recipients/identity.js';
import { parseStanza, unwrapRootKey, wrapRootKey } from '../../../src/store/recipients/stanza.js';
import type { Stanza } from '../../../src/store/recipients/stanza.js';
import { derivePublicKey, sharedSecret } from '../../../src/store/recipients/x25519.js';
import { seededRandom } from './seeded-random.js';

const storeId = 'store-0123456789';
const rootKey = Buffer.alloc(32, 7);

function wrap(publicKey: Buffer, random = seededRandom('wrap'), id = storeId): Stanza {
  const stanza = wrapRootKey(rootKey, publicKey, id, random);
  if (stanza === undefined) throw new Error('wrap failed');
  return stanza;
}

function flip(base64: string, index: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[index] = (bytes[index] ?? 0) ^ 1;
  return bytes.toString('base64');
}

describe('root key stanzas', () => {
  it('open for each of three recipients, and only for them', () => {
    const people = ['alice', 'bob', 'ci'].map((name) => createIdentity(seededRandom(name)));
    const stranger = createIdentity(seededRandom('mallory'));
    const stanzas = people.map((person) => wrap(person.publicKey, seededRandom(`e-${person.publicKey.toString('hex')}`)));
    for (const [i, person] of people.entries()) {
      for (const [j, stanza] of stanzas.entries()) {
        const opened = unwrapRootKey(stanza, person, storeId);
        if (i === j) expect(opened?.equals(rootKey)).toBe(true);
        else expect(opened).toBeUndefined();
      }
      expect(unwrapRootKey(stanzas[i] as Stanza, stranger, storeId)).toBeUndefined();
    }
  });

  it('follow the documented construction exactly (ephemeral share, HKDF over both keys and the store id, AES-256-GCM)', () => {
    const recipient = createIdentity(seededRandom('recipient'));
    const ephemeralSecret = seededRandom('eph')(32);
    const stanza = wrap(recipient.publicKey, seededRandom('eph'));
    const ephemeral = derivePublicKey(ephemeralSecret);
    const shared = sharedSecret(ephemeralSecret, recipient.publicKey) as Buffer;
    const info = Buffer.from(`secretrun.dev/v1/X25519\0${storeId}`);
    const wrapKey = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient.publicKey]), info, 32));
    const cipher = createCipheriv('aes-256-gcm', wrapKey, Buffer.alloc(12));
    cipher.setAAD(info);
    const body = Buffer.concat([cipher.update(rootKey), cipher.final(), cipher.getAuthTag()]);
    expect(stanza).toEqual({ epk: ephemeral.toString('base64'), body: body.toString('base64') });
  });

  it('use a fresh ephemeral key for every wrap', () => {
    const recipient = createIdentity(seededRandom('r'));
    const random = seededRandom('shared-source');
    const first = wrap(recipient.publicKey, random);
    const second = wrap(recipient.publicKey, random);
    expect(first.epk).not.toBe(second.epk);
    expect(first.body).not.toBe(second.body);
  });

  it('do not open in another store', () => {
    const recipient = createIdentity(seededRandom('r'));
    const stanza = wrap(recipient.publicKey);
    expect(unwrapRootKey(stanza, recipient, storeId)?.equals(rootKey)).toBe(true);
    expect(unwrapRootKey(stanza, recipient, 'store-other-0001')).toBeUndefined();
    expect(unwrapRootKey(stanza, recipient, `${storeId}x`)).toBeUndefined();
  });

  it('refuse every flipped bit of the ephemeral share and of the body', () => {
    const recipient = createIdentity(seededRandom('r'));
    const stanza = wrap(recipient.publicKey);
    for (let i = 0; i < 32; i++) expect(unwrapRootKey({ ...stanza, epk: flip(stanza.epk, i) }, recipient, storeId), `epk byte ${i}`).toBeUndefined();
    for (let i = 0; i < 48; i++) expect(unwrapRootKey({ ...stanza, body: flip(stanza.body, i) }, recipient, storeId), `body byte ${i}`).toBeUndefined();
    expect(unwrapRootKey({ ...stanza, body: Buffer.from(stanza.body, 'base64').subarray(0, 47).toString('base64') }, recipient, storeId)).toBeUndefined();
  });

  it('refuse low-order points: nothing is wrapped for them, and a stanza naming one does not open', () => {
    const recipient = createIdentity(seededRandom('r'));
    for (const point of [Buffer.alloc(32), Buffer.concat([Buffer.from([1]), Buffer.alloc(31)])]) {
      expect(wrapRootKey(rootKey, point, storeId, seededRandom('x'))).toBeUndefined();
      const stanza = wrap(recipient.publicKey);
      expect(unwrapRootKey({ ...stanza, epk: point.toString('base64') }, recipient, storeId)).toBeUndefined();
    }
  });

  it('are checked for shape before any key is derived', () => {
    const recipient = identityFromSecret(Buffer.alloc(32, 0x42));
    const stanza = wrap(recipient.publicKey);
    expect(parseStanza(stanza)).toEqual(stanza);
    expect(parseStanza(JSON.parse(JSON.stringify(stanza)))).toEqual(stanza);
    for (const bad of [
      null,
      [],
      'x',
      { epk: stanza.epk },
      { ...stanza, epk: stanza.epk.replace(/=$/, '') },
      { ...stanza, body: `${stanza.body}AA==` },
      { ...stanza, epk: 42 },
      { epk: Buffer.alloc(31).toString('base64'), body: stanza.body },
    ]) {
      expect(parseStanza(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('refuse a root key that is not 32 bytes', () => {
    const recipient = createIdentity(seededRandom('r'));
    expect(() => wrapRootKey(Buffer.alloc(16), recipient.publicKey, storeId, seededRandom('x'))).toThrow(RangeError);
  });
});
