import type { JsonValue } from '../json.js';

// The model of one ACL policy as its author wrote it (Vault's `vault/policy.go`): a name and
// its `path "<pattern>" { ... }` blocks, validated but not yet compiled. The HCL and JSON forms
// of a policy parse to the same model; `acl.ts` compiles several of them into one decision
// structure, and `policy-render.ts` prints a model back as canonical HCL (`policy fmt`).

// Every capability Vault's policy language accepts. `subscribe` (events) and `recover`
// (snapshot recovery) are accepted so that policies written for current Vault load, but no
// path secretrun serves asks for them.
export const capabilityNames = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe', 'recover'] as const;

export type Capability = (typeof capabilityNames)[number];

// The logical operations a request can perform, each needing the capability of the same name.
export const operationNames = ['create', 'read', 'update', 'patch', 'delete', 'list'] as const;

export type Operation = (typeof operationNames)[number];

// The pre-capabilities form `policy = "read"` and what each word grants (policy.go's mapping).
export const legacyPolicies = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
} as const satisfies Record<string, readonly Capability[]>;

export type LegacyPolicy = keyof typeof legacyPolicies;

// One parameter of `allowed_parameters` / `denied_parameters`: its name as written and the
// values it is limited to (an empty list means any value). Strings may be `*` globs.
export interface ParameterRule {
  name: string;
  values: JsonValue[];
}

// A response-wrapping TTL bound: what the author wrote (kept for `policy fmt`) and its seconds.
export interface WrappingTtl {
  written: string | number;
  seconds: number;
}

// Comments around one item, kept so that `policy fmt` never drops them.
export interface Comments {
  /** Whole-line comments above the item (`# ...`, `// ...`, `/* ... *\/`), as written. */
  leading: string[];
  /** A comment on the item's last line, after it. */
  trailing?: string;
}

// Where a rule's comments sit and the order its keys were written in; only `policy fmt`
// reads this, so two rules that differ only here are the same rule.
export interface RuleLayout {
  comments: Comments;
  keyOrder: string[];
  keyComments: Record<string, Comments>;
  /** Comments after the last key, before the closing brace. */
  end: string[];
}

// One `path "<pattern>" { ... }` block.
export interface PathRule {
  /** The pattern with Vault's one leading `/` removed: `secret/data/*`, `secret/+/config`. */
  path: string;
  /** As written; `undefined` when the block has no `capabilities` key. */
  capabilities?: Capability[];
  /** The legacy `policy = "..."` word, when written. */
  policy?: LegacyPolicy;
  requiredParameters?: string[];
  allowedParameters?: ParameterRule[];
  deniedParameters?: ParameterRule[];
  minWrappingTtl?: WrappingTtl;
  maxWrappingTtl?: WrappingTtl;
  subscribeEventTypes?: string[];
  /** Vault's free-text `comment = "..."` key. */
  comment?: string;
  layout?: RuleLayout;
}

// A named ACL policy.
export interface Policy {
  /** Lower-case, as Vault stores policy names. */
  name: string;
  rules: PathRule[];
  /** Comments after the last block, for `policy fmt`. */
  endComments?: string[];
}

// Vault's policy names: surrounding blanks removed, lower-cased (policy_store.go sanitizeName).
export function normalizePolicyName(name: string): string {
  return name.trim().toLowerCase();
}

// Is this string one of the capabilities the language knows?
export function isCapability(value: string): value is Capability {
  return (capabilityNames as readonly string[]).includes(value);
}

// The capabilities a rule grants as written: the legacy word's set plus `capabilities`, and
// only `deny` when `deny` is among them (policy.go discards the rest).
export function buildRuleCapabilities(rule: PathRule): Capability[] {
  if (rule.policy === 'deny') return ['deny'];
  const all: Capability[] = [...(rule.capabilities ?? []), ...(rule.policy === undefined ? [] : legacyPolicies[rule.policy])];
  if (all.includes('deny')) return ['deny'];
  return [...new Set(all)];
}

// Does a pattern hold identity templating (`{{identity.entity.id}}`)? Such rules apply only to
// tokens with an identity entity, which secretrun does not have, so they never match.
export function isTemplatedPath(path: string): boolean {
  return path.includes('{{');
}
