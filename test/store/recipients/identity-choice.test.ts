import { describe, expect, it } from 'vitest';
import { buildFingerprint, createIdentity, renderSecretKey } from '../../../src/store/recipients/identity.js';
import { chooseIdentity, noIdentityError } from '../../../src/store/recipients/identity-choice.js';
import type { IdentityCandidate } from '../../../src/store/recipients/identity-choice.js';
import { renderProtectedIdentityFile, parseIdentityFile } from '../../../src/store/recipients/identity-file.js';
import { buildRecipientEntry } from '../../../src/store/recipients/recipient-entry.js';
import type { RecipientEntry } from '../../../src/store/recipients/recipient-entry.js';
import { seededRandom } from './seeded-random.js';

const storeId = 'store-choice-0001';
const people = Object.fromEntries(['alice', 'bob', 'carol', 'dave'].map((name) => [name, createIdentity(seededRandom(name))]));

function recipient(name: string): RecipientEntry {
  const identity = people[name];
  if (identity === undefined) throw new Error(name);
  const entry = buildRecipientEntry({ name, publicKey: identity.publicKey, addedBy: 'alice', now: 0 }, Buffer.alloc(32, 1), storeId, seededRandom(`w${name}`));
  if (entry === undefined) throw new Error(name);
  return entry;
}

function candidate(name: string, source: string): IdentityCandidate {
  return { source, entry: { kind: 'plain', identity: people[name] as ReturnType<typeof createIdentity> } };
}

describe('choosing the key that opens a recipient store', () => {
  const recipients = [recipient('alice'), recipient('bob')];

  it('takes the first candidate, in order, that is a recipient', () => {
    const match = chooseIdentity(recipients, [candidate('carol', 'SECRETRUN_KEY'), candidate('bob', 'identities/old.key'), candidate('alice', 'identities/x.key')]);
    expect(match?.candidate.source).toBe('identities/old.key');
    expect(match?.recipient.name).toBe('bob');
    expect(chooseIdentity(recipients, [candidate('carol', 'a'), candidate('dave', 'b')])).toBeUndefined();
    expect(chooseIdentity(recipients, [])).toBeUndefined();
  });

  it('matches a protected key by its public key, without its passphrase', () => {
    const parsed = parseIdentityFile(renderProtectedIdentityFile(people['bob'] as ReturnType<typeof createIdentity>, new Date(0), 'pass phrase', seededRandom('s')));
    if (!parsed.ok) throw new Error('parse');
    const match = chooseIdentity(recipients, [{ source: 'identities/bob.key', entry: parsed.entries[0] as IdentityCandidate['entry'] }]);
    expect(match?.recipient.name).toBe('bob');
  });

  it('says who can open the store and which keys were tried, never a private key', () => {
    const tried = [candidate('carol', 'SECRETRUN_KEY')];
    const error = noIdentityError('.secretrun/store.json', recipients, tried);
    expect(error.code).toBe('store_key');
    expect(error.message).toBe(
      `cannot open .secretrun/store.json: it opens with the keys of alice (${buildFingerprint(people['alice']?.publicKey as Buffer)}), bob (${buildFingerprint(people['bob']?.publicKey as Buffer)}), and none of this machine's keys is one of them (${buildFingerprint(people['carol']?.publicKey as Buffer)} from SECRETRUN_KEY)`,
    );
    expect(error.hint).toContain('secretrun recipients add');
    expect(error.message).not.toContain(renderSecretKey((people['carol'] as ReturnType<typeof createIdentity>).secret));
    expect(noIdentityError('s', recipients, []).message).toContain('this machine has no private key');
    expect(noIdentityError('s', recipients, []).hint).toContain('secretrun key new');
  });
});
