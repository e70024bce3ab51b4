import { sortGoStrings } from '../go/string-order.js';

// Immediate children of `prefix` among sorted storage keys, computed from names alone (no
// decryption): sub-folders keep a trailing `/`, a name may be both a key and a folder.
export function listChildren(storageKeys: readonly string[], prefix: string): string[] {
  const children = new Set<string>();
  for (const key of storageKeys) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    if (rest === '') continue;
    const slash = rest.indexOf('/');
    children.add(slash < 0 ? rest : rest.slice(0, slash + 1));
  }
  return sortGoStrings(children);
}

// A LIST prefix as Vault sees it: the empty root, or a folder ending in `/`.
export function folderPrefix(path: string): string {
  return path === '' || path.endsWith('/') ? path : `${path}/`;
}
