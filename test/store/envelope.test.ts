import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openEnvelope, readEnvelopeTerm, sealEnvelope } from '../../src/store/envelope.js';

const dataKey = randomBytes(32);
const seal = (storageKey = 'secret/data/a', plaintext = '{"password":"hunter2"}') =>
  sealEnvelope({ dataKey, term: 7, nonce: randomBytes(12), storeId: 'store-one', storageKey, plaintext });

describe('envelope', () => {
  it('round-trips and carries its key term', () => {
    const envelope = seal();
    expect(readEnvelopeTerm(envelope)).toBe(7);
    expect(openEnvelope({ dataKey, storeId: 'store-one', storageKey: 'secret/data/a', envelope })).toBe('{"password":"hunter2"}');
  });

  it('lays out format byte, term, nonce, ciphertext and tag', () => {
    const bytes = Buffer.from(seal('k', 'abc'), 'base64');
    expect(bytes[0]).toBe(1);
    expect(bytes.readUInt32BE(1)).toBe(7);
    expect(bytes.length).toBe(1 + 4 + 12 + 3 + 16);
  });

  it('uses a fresh nonce, so equal plaintexts give different envelopes', () => {
    expect(seal()).not.toBe(seal());
  });

  it('does not open under another storage key, another store or another data key', () => {
    const envelope = seal();
    expect(openEnvelope({ dataKey, storeId: 'store-one', storageKey: 'secret/data/b', envelope })).toBeUndefined();
    expect(openEnvelope({ dataKey, storeId: 'store-two', storageKey: 'secret/data/a', envelope })).toBeUndefined();
    expect(openEnvelope({ dataKey: randomBytes(32), storeId: 'store-one', storageKey: 'secret/data/a', envelope })).toBeUndefined();
  });

  it('does not open when any byte changed', () => {
    const bytes = Buffer.from(seal(), 'base64');
    for (let i = 5; i < bytes.length; i += 3) {
      const copy = Buffer.from(bytes);
      copy[i] = (copy[i] as number) ^ 1;
      expect(openEnvelope({ dataKey, storeId: 'store-one', storageKey: 'secret/data/a', envelope: copy.toString('base64') })).toBeUndefined();
    }
  });

  it('rejects unknown formats and short input', () => {
    const bytes = Buffer.from(seal(), 'base64');
    bytes[0] = 2;
    expect(readEnvelopeTerm(bytes.toString('base64'))).toBeUndefined();
    expect(openEnvelope({ dataKey, storeId: 'store-one', storageKey: 'secret/data/a', envelope: bytes.toString('base64') })).toBeUndefined();
    expect(openEnvelope({ dataKey, storeId: 'store-one', storageKey: 'secret/data/a', envelope: 'AQ==' })).toBeUndefined();
  });
});
