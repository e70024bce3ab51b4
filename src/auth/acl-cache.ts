import type { Acl } from './acl.js';

// Compiled ACLs kept by the set of policy names they were built from and the revision of the
// policy table they were read at, so that a request costs a map lookup and a policy change is
// seen by the next request. A new revision empties the cache (every entry is stale); past
// `limit` entries the least recently used goes. A hit only stamps its entry (reordering a Map
// on every hit doubled the cost of a hit); the rare eviction searches for the oldest stamp.
// Pure memory, no clock.

export interface AclCache {
  /** The ACL for these names at this revision, compiling it with `build` when not cached. */
  get(names: readonly string[], revision: string | number, build: () => Acl): Acl;
  readonly size: number;
}

// `limit` bounds how many distinct policy sets are kept (Vault keeps 1,024 policies in its LRU).
export function createAclCache(limit = 1024): AclCache {
  const entries = new Map<string, { acl: Acl; used: number }>();
  let current: string | number | undefined;
  let clock = 0;
  return {
    get(names, revision, build) {
      if (revision !== current) {
        entries.clear();
        current = revision;
      }
      // Names are joined as given: token records keep their policies sorted, so one set is one key.
      const key = names.length === 1 ? (names[0] as string) : names.join('\n');
      const cached = entries.get(key);
      if (cached !== undefined) {
        cached.used = ++clock;
        return cached.acl;
      }
      const acl = build();
      if (entries.size >= limit) entries.delete(oldest(entries));
      entries.set(key, { acl, used: ++clock });
      return acl;
    },
    get size() {
      return entries.size;
    },
  };
}

function oldest(entries: Map<string, { used: number }>): string {
  let found = '';
  let stamp = Infinity;
  for (const [key, entry] of entries) {
    if (entry.used < stamp) {
      stamp = entry.used;
      found = key;
    }
  }
  return found;
}
