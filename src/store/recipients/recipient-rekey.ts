import { buildKeyCheck } from '../key-derivation.js';
import { addDataKeyTerm, buildKeyring } from '../keyring.js';
import type { DataKeys, RandomBytes } from '../keyring.js';
import type { StoreHeader } from '../store-format.js';
import { buildLineageEntry, extendLineage } from './lineage.js';
import { rewrapRecipients } from './recipient-entry.js';
import type { RecipientEntry } from './recipient-entry.js';

// A new root key for a recipient store: what `recipients remove` and `operator rekey` do to
// it. The new root key is wrapped for each remaining recipient only; every data key is kept
// (entries sealed under them stay readable) and a fresh term becomes active, whose key a
// removed recipient never had. The shared key ends (kdf goes), and the lineage gets a link from
// the old root key, so machines that knew it accept the new one (lineage.ts). Pure.

// The header and keys to write.
export interface RekeyedStore {
  header: StoreHeader;
  rootKey: Buffer;
  dataKeys: DataKeys;
}

// The store under `header` (opened with `rootKey`, holding `dataKeys`) with a new root key
// for `remaining`; `extraOldKeys` are other root keys to link from (a merge's other side).
export function buildRekeyedStore(
  header: StoreHeader,
  rootKey: Buffer,
  dataKeys: DataKeys,
  remaining: readonly RecipientEntry[],
  random: RandomBytes,
  extraOldKeys: readonly Buffer[] = [],
): RekeyedStore {
  const { id } = header;
  const newKey = random(32);
  const next = addDataKeyTerm(dataKeys, random);
  const links = [rootKey, ...extraOldKeys]
    .filter((old, index, all) => all.findIndex((other) => other.equals(old)) === index)
    .map((old) => buildLineageEntry(old, newKey, id, random));
  return {
    header: {
      id,
      keyring: buildKeyring(next.dataKeys, next.active, newKey, id, random),
      kdf: null,
      check: buildKeyCheck(newKey),
      recipients: rewrapRecipients(remaining, newKey, id, random),
      sharedKey: false,
      lineage: extendLineage(header.lineage ?? [], links),
    },
    rootKey: newKey,
    dataKeys: next.dataKeys,
  };
}
