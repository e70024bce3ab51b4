import { SecretrunError } from '../errors.js';
import { normalizePolicyName, type Policy } from './policy.js';
import { parsePolicy } from './policy-parse.js';

// The two policies every store has (Vault's policy_store.go): `root`, which grants everything
// and cannot be changed or removed, and `default`, attached to every token unless asked not
// to, which may be rewritten but not removed. Vault's default policy grants more (cubbyhole,
// leases, response wrapping, tools, identity lookups); here it grants what a token can use on
// the paths secretrun serves: looking itself up, renewing and revoking itself, and asking what
// it may do.

export const rootPolicyName = 'root';
export const defaultPolicyName = 'default';

// The text written as the `default` policy in a new store.
export const defaultPolicyText = `# Let a token read its own properties (auth/token/lookup-self).
path "auth/token/lookup-self" {
  capabilities = ["read"]
}

# Let a token extend its own lifetime.
path "auth/token/renew-self" {
  capabilities = ["update"]
}

# Let a token revoke itself.
path "auth/token/revoke-self" {
  capabilities = ["update"]
}

# Let a token ask which capabilities it holds on a path.
path "sys/capabilities-self" {
  capabilities = ["update"]
}
`;

// The root policy: no rules; compileAcl recognises it by name and allows everything.
export function buildRootPolicy(): Policy {
  return { name: rootPolicyName, rules: [] };
}

// The default policy as shipped.
export function buildDefaultPolicy(): Policy {
  return parsePolicy(defaultPolicyName, defaultPolicyText);
}

// Refuses writing a policy Vault keeps immutable (`root`).
export function checkPolicyWritable(name: string): void {
  if (normalizePolicyName(name) === rootPolicyName) throw new SecretrunError('invalid_request', `cannot update "${rootPolicyName}" policy`);
}

// Refuses deleting `root` or `default`, with Vault's wording for each.
export function checkPolicyDeletable(name: string): void {
  const normalized = normalizePolicyName(name);
  if (normalized === rootPolicyName) throw new SecretrunError('invalid_request', `cannot delete "${rootPolicyName}" policy`);
  if (normalized === defaultPolicyName) throw new SecretrunError('invalid_request', 'cannot delete default policy');
}
