import type { Storage } from '../store/storage.js';
import { accessorPrefix, listAccessors } from './token-accessor.js';
import { readRecordByHash, tokenIdPrefix } from './token-record.js';
import { readLiveRecord } from './token-store.js';
import { deleteParentLink, listParentLinks, revokeTree } from './token-tree.js';

// Removes what no request can use any more (Vault's auth/token/tidy and the revocations its
// expiration manager makes at expiry): expired and spent tokens with their descendants, tokens
// whose parent is gone, and index entries that point at no token. A dead token is already
// refused when it is presented (token-store.ts); this only keeps the state file small.

// What a tidy pass finds to remove.
export interface TidyPlan {
  /** Hashes of dead tokens (each revoked with its descendants). */
  tokens: string[];
  /** Keys of accessor entries that name no token (or are not under their accessor's key). */
  accessors: string[];
  /** Parent links [parent, child] whose child is gone or has another parent. */
  links: Array<[string, string]>;
}

// Finds what to remove; reads only, so it runs in a read to decide whether a write is needed.
export function planTidy(storage: Storage, now: number): TidyPlan {
  const tokens = storage
    .list(tokenIdPrefix)
    .map((key) => key.slice(tokenIdPrefix.length))
    .filter((hash) => readLiveRecord(storage, hash, now) === undefined);
  const valid = new Set(listAccessors(storage).filter((entry) => readRecordByHash(storage, entry.hash)?.accessor === entry.accessor).map((entry) => entry.key));
  const accessors = storage.list(accessorPrefix).filter((key) => !valid.has(key));
  const links = listParentLinks(storage).filter(([parent, child]) => readRecordByHash(storage, child)?.parent !== parent);
  return { tokens, accessors, links };
}

// Is there anything to remove?
export function isTidyNeeded(plan: TidyPlan): boolean {
  return plan.tokens.length + plan.accessors.length + plan.links.length > 0;
}

// Tidies the token store in one transaction; returns what it removed.
export function tidyTokens(storage: Storage, now: number): TidyPlan {
  const plan = planTidy(storage, now);
  for (const hash of plan.tokens) revokeTree(storage, hash);
  for (const key of plan.accessors) storage.delete(key);
  for (const [parent, child] of plan.links) deleteParentLink(storage, parent, child);
  return plan;
}
