import type { Storage } from '../store/storage.js';
import { deleteAccessor } from './token-accessor.js';
import { readRecordByHash, tokenStorageKey, writeTokenRecord } from './token-record.js';

// Tokens form a tree: a token created by another is its child, and revoking a token revokes
// every descendant, as Vault's token store does; orphans (created with `no_parent`, through
// `create-orphan`, or by a login) have no parent and survive. The index of children lives
// under `sys/token/parent/<parent hash>/<child hash>` (runtime state), so a revocation finds
// the children without reading every token.

const parentPrefix = 'sys/token/parent/';

// Records that `childHash` is a child of `parentHash`.
export function writeParentLink(storage: Storage, parentHash: string, childHash: string): void {
  storage.put(`${parentPrefix}${parentHash}/${childHash}`, true);
}

// The hashes of a token's children.
export function listChildren(storage: Storage, hash: string): string[] {
  const prefix = `${parentPrefix}${hash}/`;
  return storage.list(prefix).map((key) => key.slice(prefix.length));
}

// Removes one token: its record, its accessor and its link under its parent.
function removeToken(storage: Storage, hash: string): boolean {
  const record = readRecordByHash(storage, hash);
  storage.delete(tokenStorageKey(hash));
  if (record === undefined) return false;
  deleteAccessor(storage, record.accessor);
  if (record.parent !== null) storage.delete(`${parentPrefix}${record.parent}/${hash}`);
  return true;
}

// Revokes a token and all its descendants, children before parents (Vault's revokeTreeInternal,
// depth first, without recursion). A link that would close a cycle is dropped. Returns how many
// tokens were removed.
export function revokeTree(storage: Storage, hash: string): number {
  const stack = [hash];
  const seen = new Set<string>();
  let removed = 0;
  while (stack.length > 0) {
    const current = stack[stack.length - 1] as string;
    seen.add(current);
    const children = listChildren(storage, current).filter((child) => {
      if (!seen.has(child)) return true;
      storage.delete(`${parentPrefix}${current}/${child}`);
      return false;
    });
    if (children.length > 0) {
      stack.push(...children);
      continue;
    }
    stack.pop();
    // A child whose record is gone still has its link: drop it with its parent's links.
    for (const key of storage.list(`${parentPrefix}${current}/`)) storage.delete(key);
    if (removeToken(storage, current)) removed += 1;
  }
  return removed;
}

// Revokes one token and leaves its children as orphans (Vault's revoke-orphan).
export function revokeOrphan(storage: Storage, hash: string): void {
  for (const child of listChildren(storage, hash)) {
    const record = readRecordByHash(storage, child);
    if (record !== undefined) writeTokenRecord(storage, { ...record, parent: null });
    storage.delete(`${parentPrefix}${hash}/${child}`);
  }
  removeToken(storage, hash);
}

// Every parent link as [parent hash, child hash] (tidy drops the dangling ones).
export function listParentLinks(storage: Storage): Array<[string, string]> {
  return storage.list(parentPrefix).flatMap((key) => {
    const [parent, child] = key.slice(parentPrefix.length).split('/');
    return parent === undefined || child === undefined ? [] : [[parent, child] as [string, string]];
  });
}

// Removes one parent link.
export function deleteParentLink(storage: Storage, parentHash: string, childHash: string): void {
  storage.delete(`${parentPrefix}${parentHash}/${childHash}`);
}
