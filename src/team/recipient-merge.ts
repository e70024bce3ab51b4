import { extendLineage } from '../store/recipients/lineage.js';
import type { LineageEntry } from '../store/recipients/lineage.js';
import type { RecipientEntry } from '../store/recipients/recipient-entry.js';
import type { MergeConflict } from './store-merge.js';

// The header side of a store merge: who can open the merged store. Recipients merge three-way
// by public key: one added on either side is kept (with that side's stanza), one removed on
// either side is removed. A removal is never undone by merging a branch that still had the old
// key: when the root keys differ (a removal or rekey on either side) or the merge itself removes
// someone, the merged store gets a new root key (`rekey`), wrapped for the merged recipients
// only. Pure.

// What one version of the store says about access (a store without recipients: none, and its
// shared key opens it).
export interface AccessSide {
  recipients: readonly RecipientEntry[];
  sharedKey: boolean;
  check: string;
  lineage: readonly LineageEntry[];
}

// The merged access, whether it needs a new root key, and what could not be merged.
export interface AccessMerge {
  recipients: RecipientEntry[];
  sharedKey: boolean;
  lineage: LineageEntry[];
  rekey: boolean;
  conflicts: MergeConflict[];
}

// Merges the access of base (undefined without a merge base), ours and theirs.
export function mergeAccess(base: AccessSide | undefined, ours: AccessSide, theirs: AccessSide): AccessMerge {
  const inBase = new Set(base?.recipients.map((r) => r.public_key) ?? []);
  const theirsByKey = new Map(theirs.recipients.map((r) => [r.public_key, r]));
  const oursByKey = new Map(ours.recipients.map((r) => [r.public_key, r]));
  const conflicts: MergeConflict[] = [];
  const recipients: RecipientEntry[] = [];
  for (const entry of ours.recipients) {
    const other = theirsByKey.get(entry.public_key);
    if (other === undefined && inBase.has(entry.public_key)) continue;
    if (other !== undefined && other.name !== entry.name) conflicts.push({ path: `recipients/${entry.name}`, reason: `named ${entry.name} on ours and ${other.name} on theirs; kept ${entry.name}` });
    recipients.push(entry);
  }
  for (const entry of theirs.recipients) {
    if (oursByKey.has(entry.public_key) || inBase.has(entry.public_key)) continue;
    if (recipients.some((r) => r.name === entry.name)) {
      const renamed = `${entry.name}-theirs`;
      conflicts.push({ path: `recipients/${entry.name}`, reason: `added with different keys on both sides; theirs kept as ${renamed}` });
      recipients.push({ ...entry, name: renamed });
    } else recipients.push(entry);
  }
  const sharedKey = ours.sharedKey && theirs.sharedKey;
  const dropped = ours.recipients.some((r) => !recipients.some((kept) => kept.public_key === r.public_key));
  const rekey = ours.check !== theirs.check || dropped || (ours.sharedKey && !sharedKey);
  const known = new Set(ours.lineage.map((entry) => entry.key));
  const lineage = extendLineage(ours.lineage, theirs.lineage.filter((entry) => !known.has(entry.key)));
  return { recipients, sharedKey, lineage, rekey, conflicts };
}
