import { invalidRequest } from '../errors.js';
import { sortGoStrings } from '../go/string-order.js';

// The policy list a token is given, as Vault's policyutil.SanitizePolicies and the token store's
// resolveTokenPolicies decide it.

// Policies Vault keeps for itself and never attaches to a token.
const nonAssignable = new Set(['response-wrapping', 'control-group']);

// SanitizePolicies: names trimmed and lower-cased, empty ones dropped, `root` alone when
// present, `default` added when asked (unless root), duplicates removed, sorted in Go order.
export function sanitizePolicies(policies: readonly string[], addDefault: boolean): string[] {
  const names = policies.map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  if (names.includes('root')) return ['root'];
  if (addDefault && !names.includes('default')) names.push('default');
  return sortGoStrings(new Set(names));
}

// What a new child token asks for, and who creates it.
export interface PolicyRequest {
  /** The `policies` field; empty means "the parent's". */
  requested: readonly string[];
  noDefaultPolicy: boolean;
  parentPolicies: readonly string[];
  /** The creator holds sudo on the path (or is root): it may grant policies it does not hold. */
  sudo: boolean;
}

// resolveTokenPolicies without roles: inherit the parent's when none are asked for; otherwise a
// subset of the parent's (unless sudo), with `default` added when the parent has it (sudo: always)
// unless `no_default_policy`, which also strips an explicit `default`.
export function resolveTokenPolicies(request: PolicyRequest): string[] {
  let policies = [...request.requested];
  let addDefault = false;
  if (policies.length === 0) {
    policies = sanitizePolicies(request.parentPolicies, false);
  } else if (!request.sudo) {
    const parent = new Set(sanitizePolicies(request.parentPolicies, false));
    if (!sanitizePolicies(policies, false).every((name) => parent.has(name))) throw invalidRequest('child policies must be subset of parent');
    addDefault = !request.noDefaultPolicy && parent.has('default');
  } else {
    addDefault = !request.noDefaultPolicy;
  }
  let final = sanitizePolicies(policies, addDefault);
  if (request.noDefaultPolicy) final = final.filter((name) => name !== 'default');
  const refused = final.find((name) => nonAssignable.has(name));
  if (refused !== undefined) throw invalidRequest(`cannot assign policy "${refused}"`);
  return final;
}
