import { isSecretrunError } from '../errors.js';
import type { Storage } from '../store/storage.js';
import { readPolicyRevision, readPolicyText } from '../sys/policies.js';
import { createAclCache, type AclCache } from './acl-cache.js';
import { compileAcl, type Acl } from './acl.js';
import { buildDefaultPolicy, buildRootPolicy, defaultPolicyName, rootPolicyName } from './builtin-policies.js';
import type { Policy } from './policy.js';
import { parsePolicy } from './policy-parse.js';

// The ACL of a set of policy names as the store holds them now: compiled once per set and
// policy-table revision (acl-cache.ts), so a request costs one read of the revision and a map
// lookup. Names that name no policy grant nothing, as in Vault; `default` is the built-in text
// until someone rewrites it, `root` is built in and immutable.

export interface AclSource {
  /** The ACL for `names` (sorted, as token records keep them) over `storage`'s policy table. */
  aclFor(storage: Storage, names: readonly string[]): Acl;
}

// One source per server (or handler): its cache lives as long as it does.
export function createAclSource(cache: AclCache = createAclCache()): AclSource {
  let builtinDefault: Policy | undefined;
  const load = (storage: Storage, name: string): Policy | undefined => {
    if (name === rootPolicyName) return buildRootPolicy();
    const text = readPolicyText(storage, name);
    if (text === undefined) {
      if (name !== defaultPolicyName) return undefined;
      builtinDefault ??= buildDefaultPolicy();
      return builtinDefault;
    }
    try {
      return parsePolicy(name, text);
    } catch (error) {
      // Every stored text parsed when it was written; one that no longer does (a stricter
      // parser after an upgrade) grants nothing rather than failing every request (fail closed).
      if (isSecretrunError(error)) return undefined;
      throw error;
    }
  };
  return {
    aclFor(storage, names) {
      return cache.get(names, readPolicyRevision(storage), () =>
        compileAcl(names.map((name) => load(storage, name)).filter((policy): policy is Policy => policy !== undefined)),
      );
    },
  };
}
