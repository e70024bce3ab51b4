import { isJsonObject } from '../json.js';
import type { Storage } from '../store/storage.js';
import { hashAccessor, hashesEqual } from './token-id.js';

// The accessor index: accessor → the hash of its token, under `sys/token/accessor/<sha256 of
// the accessor>` (runtime state, beside the records). An accessor names a token without being
// it: it can look the token up and revoke it, never authenticate.

export const accessorPrefix = 'sys/token/accessor/';

// One entry of the index.
export interface AccessorEntry {
  accessor: string;
  hash: string;
}

// An entry as listed, with the key it was found under.
export interface ListedAccessor extends AccessorEntry {
  key: string;
}

// The storage key of an accessor's entry.
export function accessorKey(accessor: string): string {
  return `${accessorPrefix}${hashAccessor(accessor)}`;
}

// Records that `accessor` names the token whose hash is `hash`.
export function writeAccessor(storage: Storage, accessor: string, hash: string): void {
  const entry: AccessorEntry = { accessor, hash };
  storage.put(accessorKey(accessor), { ...entry });
}

// The hash of the token `accessor` names, or undefined when it names none.
export function readAccessorHash(storage: Storage, accessor: string): string | undefined {
  if (accessor === '') return undefined;
  const entry = storage.get(accessorKey(accessor));
  if (!isJsonObject(entry) || typeof entry['hash'] !== 'string' || typeof entry['accessor'] !== 'string') return undefined;
  // The stored accessor is compared too (in constant time): the key is only its hash.
  return hashesEqual(entry['accessor'], accessor) ? entry['hash'] : undefined;
}

// Forgets an accessor.
export function deleteAccessor(storage: Storage, accessor: string): void {
  storage.delete(accessorKey(accessor));
}

// Every indexed accessor with its token's hash (LIST auth/token/accessors, tidy); an entry not
// under its accessor's key (a hand-edited file) is not listed.
export function listAccessors(storage: Storage): ListedAccessor[] {
  const found: ListedAccessor[] = [];
  for (const key of storage.list(accessorPrefix)) {
    const entry = storage.get(key);
    if (isJsonObject(entry) && typeof entry['hash'] === 'string' && typeof entry['accessor'] === 'string' && key === accessorKey(entry['accessor'])) {
      found.push({ key, accessor: entry['accessor'], hash: entry['hash'] });
    }
  }
  return found;
}
