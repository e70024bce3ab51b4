import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildKeyCheck } from '../../src/store/key-derivation.js';
import { createKeyring, unwrapKeyring } from '../../src/store/keyring.js';
import type { DataKeys } from '../../src/store/keyring.js';
import { openEntry, sealEntry } from '../../src/store/store-snapshot.js';
import type { StoreHeader } from '../../src/store/store-format.js';

const rootKey = randomBytes(32);
const id = 'store-snapshot-test';
const keyring = createKeyring(rootKey, id, randomBytes);
const header: StoreHeader = { id, keyring, kdf: null, check: buildKeyCheck(rootKey), recipients: [], sharedKey: false, lineage: [] };
const keys = { header, dataKeys: unwrapKeyring(keyring, rootKey, id) as DataKeys };

describe('sealEntry', () => {
  // Nonces come from a pool refilled every 341 of them: past a refill, none repeats and none is
  // the zeros the pool leaves where it handed bytes out.
  it('gives every entry a nonce of its own, across refills of the random pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const envelope = sealEntry(keys, `secret/data/k${i}`, JSON.stringify({ i }));
      const nonce = Buffer.from(envelope, 'base64').subarray(5, 17).toString('hex');
      expect(nonce).not.toBe('0'.repeat(24));
      seen.add(nonce);
      expect(openEntry(keys, 'test', `secret/data/k${i}`, envelope)).toBe(JSON.stringify({ i }));
    }
    expect(seen.size).toBe(1000);
  });
});
