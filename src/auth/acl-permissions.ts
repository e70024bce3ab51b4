import type { JsonValue } from '../json.js';
import { sortGoStrings } from '../go/string-order.js';
import { buildRuleCapabilities, capabilityNames, type Capability, type PathRule } from './policy.js';

// What one pattern grants once every policy naming it is merged (acl.go's ACLPermissions):
// a capability bit set, who granted each capability, wrapping TTL bounds and parameter
// constraints. The same pattern in several policies (or twice in one) merges here; different
// patterns never merge — the lookup picks one governing pattern per request.

// One bit per capability, in the order of `capabilityNames`.
export const capabilityBits: Readonly<Record<Capability, number>> = Object.fromEntries(capabilityNames.map((name, index) => [name, 1 << index])) as Record<Capability, number>;

export const denyBit = capabilityBits.deny;

export interface Permissions {
  bits: number;
  /** For each capability (by its index in capabilityNames), the policies granting it. */
  granting: string[][];
  /** Seconds; 0 = no bound. */
  minWrappingTtl: number;
  maxWrappingTtl: number;
  /** Lower-case parameter name → allowed values ([] = any); undefined = no constraint. */
  allowed: Map<string, JsonValue[]> | undefined;
  denied: Map<string, JsonValue[]> | undefined;
  required: string[];
  /** The pattern as first written, for reporting which rule governed a request. */
  pattern: string;
  /** The capability names of `bits`, sorted; set once merging is over (finishPermissions). */
  rendered: readonly Capability[];
}

// The permissions of one rule of one policy. A deny rule carries nothing but `deny` (policy.go
// stops reading a block at `deny`).
export function buildPermissions(rule: PathRule, policyName: string): Permissions {
  const capabilities = buildRuleCapabilities(rule);
  const bits = capabilities.reduce((sum, name) => sum | capabilityBits[name], 0);
  const granting = capabilityNames.map((name) => (bits & capabilityBits[name] ? [policyName] : []));
  if (bits & denyBit) return { bits: denyBit, granting, minWrappingTtl: 0, maxWrappingTtl: 0, allowed: undefined, denied: undefined, required: [], pattern: rule.path, rendered: [] };
  return {
    bits,
    granting,
    minWrappingTtl: rule.minWrappingTtl?.seconds ?? 0,
    maxWrappingTtl: rule.maxWrappingTtl?.seconds ?? 0,
    allowed: parameterMap(rule.allowedParameters),
    denied: parameterMap(rule.deniedParameters),
    required: [...(rule.requiredParameters ?? [])],
    pattern: rule.path,
    rendered: [],
  };
}

function parameterMap(rules: PathRule['allowedParameters']): Map<string, JsonValue[]> | undefined {
  if (rules === undefined || rules.length === 0) return undefined;
  return new Map(rules.map((rule) => [rule.name.toLowerCase(), [...rule.values]]));
}

// Folds another policy's permissions for the same pattern into `into`, as acl.go NewACL does:
// deny on either side leaves only deny; otherwise capabilities add up, the shorter of two
// wrapping bounds wins, parameter value lists concatenate (an empty list, "any value", wins),
// and required parameters add up.
export function mergePermissions(into: Permissions, next: Permissions): void {
  if (into.bits & denyBit) return;
  if (next.bits & denyBit) {
    into.bits = denyBit;
    into.allowed = undefined;
    into.denied = undefined;
    return;
  }
  into.bits |= next.bits;
  next.granting.forEach((names, index) => {
    for (const name of names) if (!into.granting[index]?.includes(name)) into.granting[index]?.push(name);
  });
  if (next.maxWrappingTtl > 0 && (into.maxWrappingTtl === 0 || next.maxWrappingTtl < into.maxWrappingTtl)) into.maxWrappingTtl = next.maxWrappingTtl;
  if (next.minWrappingTtl > 0 && (into.minWrappingTtl === 0 || next.minWrappingTtl < into.minWrappingTtl)) into.minWrappingTtl = next.minWrappingTtl;
  into.allowed = mergeParameters(into.allowed, next.allowed);
  into.denied = mergeParameters(into.denied, next.denied);
  for (const name of next.required) if (!into.required.includes(name)) into.required.push(name);
}

function mergeParameters(into: Map<string, JsonValue[]> | undefined, next: Map<string, JsonValue[]> | undefined): Map<string, JsonValue[]> | undefined {
  if (next === undefined) return into;
  if (into === undefined) return new Map([...next].map(([name, values]) => [name, [...values]]));
  for (const [name, values] of next) {
    const existing = into.get(name);
    into.set(name, values.length === 0 || (existing !== undefined && existing.length === 0) ? [] : [...values, ...(existing ?? [])]);
  }
  return into;
}

// Fixes what decisions report once no more policies merge in: the sorted capability names,
// shared (frozen) by every decision this rule governs.
export function finishPermissions(permissions: Permissions): void {
  permissions.rendered = Object.freeze(renderCapabilities(permissions.bits));
}

// The capability names in a bit set, in Go's string order (as sys/capabilities sorts them).
export function renderCapabilities(bits: number): Capability[] {
  return sortGoStrings(capabilityNames.filter((name) => bits & capabilityBits[name])) as Capability[];
}
