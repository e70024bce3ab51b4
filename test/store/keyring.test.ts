import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addKeyringTerm, buildKeyring, createKeyring, unwrapKeyring } from '../../src/store/keyring.js';

const root = randomBytes(32);

describe('keyring', () => {
  it('creates one active term that unwraps with the root key only', () => {
    const keyring = createKeyring(root, 'store-one', randomBytes);
    expect(keyring.active).toBe(1);
    expect(Object.keys(keyring.terms)).toEqual(['1']);
    expect(unwrapKeyring(keyring, root, 'store-one')?.get(1)).toHaveLength(32);
    expect(unwrapKeyring(keyring, randomBytes(32), 'store-one')).toBeUndefined();
  });

  it('binds wrapped keys to the store id and the term', () => {
    const keyring = createKeyring(root, 'store-one', randomBytes);
    expect(unwrapKeyring(keyring, root, 'store-two')).toBeUndefined();
    const moved = { active: 2, terms: { '2': keyring.terms['1'] as string } };
    expect(unwrapKeyring(moved, root, 'store-one')).toBeUndefined();
  });

  it('adds a new active term and keeps the old ones', () => {
    const first = createKeyring(root, 'store-one', randomBytes);
    const second = addKeyringTerm(first, root, 'store-one', randomBytes);
    expect(second.active).toBe(2);
    expect(second.terms['1']).toBe(first.terms['1']);
    const keys = unwrapKeyring(second, root, 'store-one');
    expect(keys?.size).toBe(2);
    expect(keys?.get(1)?.equals(unwrapKeyring(first, root, 'store-one')?.get(1) as Buffer)).toBe(true);
  });

  it('re-wraps the same data keys under a new root key', () => {
    const keyring = addKeyringTerm(createKeyring(root, 'store-one', randomBytes), root, 'store-one', randomBytes);
    const dataKeys = unwrapKeyring(keyring, root, 'store-one');
    const newRoot = randomBytes(32);
    const rewrapped = buildKeyring(dataKeys as Map<number, Buffer>, 2, newRoot, 'store-one', randomBytes);
    expect(unwrapKeyring(rewrapped, root, 'store-one')).toBeUndefined();
    const again = unwrapKeyring(rewrapped, newRoot, 'store-one');
    expect(again?.get(1)?.equals(dataKeys?.get(1) as Buffer)).toBe(true);
    expect(again?.get(2)?.equals(dataKeys?.get(2) as Buffer)).toBe(true);
  });
});
