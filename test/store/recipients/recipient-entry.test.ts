import { describe, expect, it } from 'vitest';
import { createIdentity, renderPublicKey } from '../../../src/store/recipients/identity.js';
import {
  buildRecipientEntry,
  checkRecipientName,
  parseRecipientEntries,
  rewrapRecipients,
} from '../../../src/store/recipients/recipient-entry.js';
import type { RecipientEntry } from '../../../src/store/recipients/recipient-entry.js';
import { unwrapRootKey } from '../../../src/store/recipients/stanza.js';
import { seededRandom } from './seeded-random.js';

const storeId = 'store-recipients-01';
const rootKey = Buffer.alloc(32, 9);
const now = Date.parse('2024-06-01T12:34:56.789Z');

function entryFor(name: string, key = rootKey): { entry: RecipientEntry; identity: ReturnType<typeof createIdentity> } {
  const identity = createIdentity(seededRandom(name));
  const entry = buildRecipientEntry({ name, publicKey: identity.publicKey, addedBy: 'alice', now }, key, storeId, seededRandom(`wrap-${name}`));
  if (entry === undefined) throw new Error('no entry');
  return { entry, identity };
}

describe('recipient entries', () => {
  it('name the recipient, its key, who added it and when, and open for it', () => {
    const { entry, identity } = entryFor('bob');
    expect(entry).toEqual({
      name: 'bob',
      public_key: renderPublicKey(identity.publicKey),
      added_by: 'alice',
      added_at: '2024-06-01T12:34:56Z',
      stanza: expect.objectContaining({ epk: expect.any(String), body: expect.any(String) }),
    });
    expect(unwrapRootKey(entry.stanza, identity, storeId)?.equals(rootKey)).toBe(true);
  });

  it('round-trip through the header as JSON', () => {
    const entries = ['alice', 'bob', 'ci runner'].map((name) => entryFor(name).entry);
    expect(parseRecipientEntries(JSON.parse(JSON.stringify(entries)))).toEqual({ ok: true, entries });
  });

  it('are refused when malformed, or edited so that a name or a key would appear twice', () => {
    const alice = entryFor('alice').entry;
    const bob = entryFor('bob').entry;
    const cases: Array<[unknown, string]> = [
      [[], 'its recipients are not a non-empty list'],
      [{}, 'its recipients are not a non-empty list'],
      [[{ ...alice, public_key: alice.public_key.toUpperCase() }], 'recipient 1 has no valid public key'],
      [[{ ...alice, public_key: `${alice.public_key.slice(0, -1)}${alice.public_key.endsWith('q') ? 'p' : 'q'}` }], 'recipient 1 has no valid public key'],
      [[alice, { ...bob, public_key: alice.public_key }], 'recipient 2 repeats a name or a key'],
      [[alice, { ...bob, name: 'alice' }], 'recipient 2 repeats a name or a key'],
      [[alice, { ...alice, name: 'alice2' }], 'recipient 2 repeats a name or a key'],
      [[{ ...alice, name: 'evil\nname' }], 'recipient 1 has no valid name'],
      [[{ ...alice, added_at: 'yesterday' }], 'recipient 1 has no valid added_by or added_at'],
      [[{ ...alice, stanza: { epk: alice.stanza.epk } }], 'recipient 1 has a malformed stanza'],
      [[alice, 'bob'], 'recipient 2 is not an object'],
    ];
    for (const [value, problem] of cases) expect(parseRecipientEntries(value)).toEqual({ ok: false, problem });
  });

  it('are re-wrapped under a new root key that the old stanzas do not give', () => {
    const people = ['alice', 'bob'].map((name) => entryFor(name));
    const newRoot = Buffer.alloc(32, 10);
    const rewrapped = rewrapRecipients(
      people.map((p) => p.entry),
      newRoot,
      storeId,
      seededRandom('rewrap'),
    );
    for (const [i, { entry, identity }] of people.entries()) {
      const next = rewrapped[i] as RecipientEntry;
      expect({ ...next, stanza: undefined }).toEqual({ ...entry, stanza: undefined });
      expect(unwrapRootKey(next.stanza, identity, storeId)?.equals(newRoot)).toBe(true);
      expect(unwrapRootKey(entry.stanza, identity, storeId)?.equals(newRoot)).toBe(false);
    }
  });

  it('take names people can read in a list', () => {
    for (const name of ['alice', 'Bob Smith', 'ci-github', 'deploy@prod', 'José', '1st']) expect(checkRecipientName(name), name).toBeUndefined();
    for (const name of ['', ' alice', '-x', 'a\tb', 'quote"d', 'x'.repeat(65)]) expect(checkRecipientName(name), name).toBeDefined();
  });
});
