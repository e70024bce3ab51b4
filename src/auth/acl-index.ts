import { compareGoStrings } from '../go/string-order.js';
import { buildPermissions, finishPermissions, mergePermissions, type Permissions } from './acl-permissions.js';
import { isTemplatedPath, type Policy } from './policy.js';
import { buildPrefixTable, findLongestPrefix, type PrefixTable } from './prefix-table.js';
import { buildSegmentTrie, visitSegmentMatches, type SegmentNode } from './segment-trie.js';

// The rules of several policies indexed so that finding the rule that governs a path costs a
// few lookups, not a scan of every rule (acl.go keeps radix trees for the same reason):
// - exact patterns in one map;
// - `*` patterns (without `+` segments) by their prefix in a prefix table: one pass over the
//   path finds the longest matching prefix;
// - patterns with `+` segments in a trie of segments: a path visits only the patterns its
//   segments can match, each then ranked against the best match by Vault's priority rules.

// A pattern with `+` segments, pre-split for matching and ranked for Vault's priority rules.
export interface WildcardRule {
  pattern: string;
  permissions: Permissions;
  /** Ends in `*`. */
  isPrefix: boolean;
  /** The pattern without its trailing `*`. */
  body: string;
  segments: string[];
  /** Index of the first `+`: where the pattern stops being literal. */
  first: number;
  /** Number of `+` segments. */
  wildcards: number;
}

export interface RuleIndex {
  exact: Map<string, Permissions>;
  /** `*` rules by prefix (the pattern without its `*`). */
  prefix: Map<string, Permissions>;
  prefixTable: PrefixTable<Permissions>;
  wildcardTrie: SegmentNode<WildcardRule>;
  wildcards: WildcardRule[];
}

// A matching rule as Vault ranks it (acl.go's wcPathDescr).
interface Candidate {
  first: number;
  isPrefix: boolean;
  wildcards: number;
  body: string;
  permissions: Permissions;
}

// Does a pattern use `+` segments? (policy.go's test, kept exactly: `secret/+x` counts too,
// though its `+x` segment then only matches literally.)
export function hasSegmentWildcards(path: string): boolean {
  return path === '+' || path.includes('/+') || path.startsWith('+/');
}

// Indexes every rule of the policies, merging rules with the same pattern.
export function buildRuleIndex(policies: readonly Policy[]): RuleIndex {
  const exact = new Map<string, Permissions>();
  const prefix = new Map<string, Permissions>();
  const wildcard = new Map<string, Permissions>();
  for (const policy of policies) {
    for (const rule of policy.rules) {
      if (isTemplatedPath(rule.path)) continue;
      const permissions = buildPermissions(rule, policy.name);
      const path = rule.path;
      const [table, key] = hasSegmentWildcards(path) ? [wildcard, path] : path.endsWith('*') ? [prefix, path.slice(0, -1)] : [exact, path];
      const existing = table.get(key);
      if (existing === undefined) table.set(key, permissions);
      else mergePermissions(existing, permissions);
    }
  }
  for (const table of [exact, prefix, wildcard]) for (const permissions of table.values()) finishPermissions(permissions);
  const wildcards = [...wildcard].map(([pattern, permissions]) => buildWildcardRule(pattern, permissions));
  const wildcardTrie = buildSegmentTrie(wildcards.map((rule) => ({ segments: rule.segments, isPrefix: rule.isPrefix, value: rule })));
  return { exact, prefix, prefixTable: buildPrefixTable(prefix), wildcardTrie, wildcards };
}

function buildWildcardRule(pattern: string, permissions: Permissions): WildcardRule {
  const isPrefix = pattern.endsWith('*');
  const body = isPrefix ? pattern.slice(0, -1) : pattern;
  const segments = body.split('/');
  return { pattern, permissions, isPrefix, body, segments, first: pattern.indexOf('+'), wildcards: segments.filter((segment) => segment === '+').length };
}

// The permissions governing a request path: an exact rule, else (for LIST, whose path ends in
// `/`) an exact rule without the slash and then the best glob for the path without it, else the
// best glob for the path (acl.go AllowOperation's order).
export function findGoverning(index: RuleIndex, path: string, list: boolean): Permissions | undefined {
  const exact = index.exact.get(path);
  if (exact !== undefined) return exact;
  if (list) {
    const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
    const withoutSlash = index.exact.get(trimmed) ?? (trimmed === path ? undefined : findBestGlob(index, trimmed));
    if (withoutSlash !== undefined) return withoutSlash;
  }
  return findBestGlob(index, path);
}

// The highest-priority `*` or `+` rule matching the path (acl.go CheckAllowedFromNonExactPaths):
// the longest `*` prefix competes with every matching `+` pattern under Vault's ranking.
export function findBestGlob(index: RuleIndex, path: string): Permissions | undefined {
  const longest = findLongestPrefix(index.prefixTable, path);
  let best: Candidate | undefined = longest === undefined ? undefined : { first: longest[0].length, isPrefix: true, wildcards: 0, body: longest[0], permissions: longest[1] };
  if (index.wildcards.length === 0) return best?.permissions;
  visitSegmentMatches(index.wildcardTrie, path, (rule) => {
    if (best === undefined || ranksBelow(best, rule)) best = rule;
  });
  return best?.permissions;
}

// Vault's priority (docs concepts/policies, acl.go): a later first wildcard wins; then a
// pattern not ending in `*`; then fewer `+` segments; then the longer; then the greater string.
function ranksBelow(a: Candidate, b: Candidate): boolean {
  if (a.first !== b.first) return a.first < b.first;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix;
  if (a.wildcards !== b.wildcards) return a.wildcards > b.wildcards;
  if (a.body.length !== b.body.length) return a.body.length < b.body.length;
  return compareGoStrings(a.body, b.body) < 0;
}
