import { compareGoStrings } from '../go/string-order.js';
import type { Storage } from '../store/storage.js';

// The ACL policy table in the committed store: one entry per policy written (its name and its
// text exactly as written, as Vault keeps `Raw`), and a revision that changes with every write
// or delete. Compiled ACLs are cached by the revision (auth/acl-source.ts), so the revision is
// a random tag rather than a counter: a store checked out from another git branch, or merged,
// can never show an old revision with other policies. Texts are validated before they get here
// (the route parses them); `root` and the built-in `default` text are auth/'s business.

// One stored policy.
export interface StoredPolicy {
  name: string;
  policy: string;
}

const policyPrefix = 'sys/policy/';
const revisionKey = 'sys/policy-revision';

// The text of a written policy, or undefined when none was written under that name.
export function readPolicyText(storage: Storage, name: string): string | undefined {
  const stored = storage.get(`${policyPrefix}${name}`) as unknown as StoredPolicy | undefined;
  return typeof stored?.policy === 'string' ? stored.policy : undefined;
}

// The names of the written policies, in Go's order.
export function listPolicyNames(storage: Storage): string[] {
  return storage
    .list(policyPrefix)
    .map((key) => key.slice(policyPrefix.length))
    .sort(compareGoStrings);
}

// Stores a policy's text (replacing any) and moves the revision on.
export function writePolicyText(storage: Storage, name: string, text: string, revision: string): void {
  storage.put(`${policyPrefix}${name}`, { name, policy: text });
  storage.put(revisionKey, revision);
}

// Forgets a policy; returns whether there was one (the revision moves on only then).
export function deletePolicyText(storage: Storage, name: string, revision: string): boolean {
  if (readPolicyText(storage, name) === undefined) return false;
  storage.delete(`${policyPrefix}${name}`);
  storage.put(revisionKey, revision);
  return true;
}

// The revision of the table: '' until a policy was first written.
export function readPolicyRevision(storage: Storage): string {
  const stored = storage.get(revisionKey);
  return typeof stored === 'string' ? stored : '';
}
