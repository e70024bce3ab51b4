import type { Acl } from './acl.js';

// Compiled ACLs kept by the set of policy names they were built from and the revision of the
// policy table they were read at, so that a request costs a map lookup and a policy change is
// seen by the next request. A new revision empties the cache (every entry is stale); past
// `limit` entries the least recently used goes. Pure memory, no clock.

export interface AclCache {
  /** The ACL for these names at this revision, compiling it with `build` when not cached. */
  get(names: readonly string[], revision: string | number, build: () => Acl): Acl;
  readonly size: number;
}

// `limit` bounds how many distinct policy sets are kept (Vault keeps 1,024 policies in its LRU).
export function createAclCache(limit = 1024): AclCache {
  const entries = new Map<string, Acl>();
  let current: string | number | undefined;
  return {
    get(names, revision, build) {
      if (revision !== current) {
        entries.clear();
        current = revision;
      }
      // Names are joined as given: token records keep their policies sorted, so one set is one key.
      const key = names.join('\n');
      const cached = entries.get(key);
      if (cached !== undefined) {
        entries.delete(key);
        entries.set(key, cached);
        return cached;
      }
      const acl = build();
      entries.set(key, acl);
      if (entries.size > limit) entries.delete(entries.keys().next().value as string);
      return acl;
    },
    get size() {
      return entries.size;
    },
  };
}
