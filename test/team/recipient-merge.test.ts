import { describe, expect, it } from 'vitest';
import type { RecipientEntry } from '../../src/store/recipients/recipient-entry.js';
import { mergeAccess } from '../../src/team/recipient-merge.js';
import type { AccessSide } from '../../src/team/recipient-merge.js';

const entry = (name: string, key: string): RecipientEntry => ({ name, public_key: key, added_by: 'x', added_at: '2024-01-01T00:00:00Z', stanza: { epk: name, body: key } });
const side = (recipients: RecipientEntry[], check = 'c1', sharedKey = false): AccessSide => ({ recipients, sharedKey, check, lineage: [] });
const names = (list: readonly RecipientEntry[]) => list.map((r) => r.name);

describe('merging who can open a store', () => {
  const alice = entry('alice', 'k-a');
  const bob = entry('bob', 'k-b');
  const carol = entry('carol', 'k-c');
  const dave = entry('dave', 'k-d');

  it('keeps recipients added on either side, under the same root key', () => {
    const merged = mergeAccess(side([alice]), side([alice, carol]), side([alice, dave]));
    expect(names(merged.recipients)).toEqual(['alice', 'carol', 'dave']);
    expect(merged.rekey).toBe(false);
    expect(merged.conflicts).toEqual([]);
  });

  it('removes one removed on either side and makes a new root key, never undoing the removal', () => {
    const removedByTheirs = mergeAccess(side([alice, bob]), side([alice, bob, carol]), side([alice], 'c2'));
    expect(names(removedByTheirs.recipients)).toEqual(['alice', 'carol']);
    expect(removedByTheirs.rekey).toBe(true);
    const removedByOurs = mergeAccess(side([alice, bob]), side([alice], 'c2'), side([alice, bob, dave]));
    expect(names(removedByOurs.recipients)).toEqual(['alice', 'dave']);
    expect(removedByOurs.rekey).toBe(true);
  });

  it('ends the shared key when either side ended it, and converts a store the other side left without recipients', () => {
    const converted = mergeAccess(side([], 'c1', true), side([], 'c1', true), side([alice], 'c1', true));
    expect(names(converted.recipients)).toEqual(['alice']);
    expect(converted).toMatchObject({ sharedKey: true, rekey: false });
    expect(mergeAccess(side([alice], 'c1', true), side([alice], 'c1', true), side([alice], 'c2', false))).toMatchObject({ sharedKey: false, rekey: true });
  });

  it('reports, by name, a key named differently on the two sides and one name added with two keys', () => {
    const renamed = mergeAccess(side([alice]), side([alice]), side([{ ...alice, name: 'alice2' }]));
    expect(renamed.conflicts).toEqual([{ path: 'recipients/alice', reason: 'named alice on ours and alice2 on theirs; kept alice' }]);
    const clash = mergeAccess(side([alice]), side([alice, dave]), side([alice, { ...dave, public_key: 'k-other' }]));
    expect(names(clash.recipients)).toEqual(['alice', 'dave', 'dave-theirs']);
    expect(clash.conflicts[0]?.path).toBe('recipients/dave');
  });
});
