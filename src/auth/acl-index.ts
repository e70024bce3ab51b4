import { compareGoStrings } from '../go/string-order.js';
import { buildPermissions, mergePermissions, type Permissions } from './acl-permissions.js';
import { isTemplatedPath, type Policy } from './policy.js';

// The rules of several policies indexed so that finding the rule that governs a path costs a
// few map lookups, not a scan of every rule (acl.go keeps radix trees; maps keyed by prefix
// length do the same work here):
// - exact patterns in one map;
// - `*` patterns (without `+` segments) by their prefix, probed longest first — the first hit
//   is the longest-prefix match;
// - patterns with `+` segments grouped by their literal head (the text before the first `+`),
//   probed longest first and only while a head could still beat the best match so far.

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
  prefix: Map<string, Permissions>;
  /** Distinct prefix lengths, longest first. */
  prefixLengths: number[];
  wildcardsByHead: Map<string, WildcardRule[]>;
  /** Distinct head lengths, longest first. */
  headLengths: number[];
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
  const wildcards = [...wildcard].map(([pattern, permissions]) => buildWildcardRule(pattern, permissions));
  const wildcardsByHead = new Map<string, WildcardRule[]>();
  for (const rule of wildcards) {
    const head = rule.pattern.slice(0, rule.first);
    wildcardsByHead.set(head, [...(wildcardsByHead.get(head) ?? []), rule]);
  }
  return {
    exact,
    prefix,
    prefixLengths: distinctLengthsDescending(prefix.keys()),
    wildcardsByHead,
    headLengths: distinctLengthsDescending(wildcardsByHead.keys()),
    wildcards,
  };
}

function buildWildcardRule(pattern: string, permissions: Permissions): WildcardRule {
  const isPrefix = pattern.endsWith('*');
  const body = isPrefix ? pattern.slice(0, -1) : pattern;
  const segments = body.split('/');
  return { pattern, permissions, isPrefix, body, segments, first: pattern.indexOf('+'), wildcards: segments.filter((segment) => segment === '+').length };
}

function distinctLengthsDescending(keys: Iterable<string>): number[] {
  return [...new Set([...keys].map((key) => key.length))].sort((a, b) => b - a);
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
  let best: Candidate | undefined;
  for (const length of index.prefixLengths) {
    if (length > path.length) continue;
    const key = path.slice(0, length);
    const permissions = index.prefix.get(key);
    if (permissions === undefined) continue;
    best = { first: length, isPrefix: true, wildcards: 0, body: key, permissions };
    break;
  }
  let parts: string[] | undefined;
  for (const length of index.headLengths) {
    if (length > path.length) continue;
    // A pattern whose first wildcard comes earlier than the best match's ranks lower (rule 1).
    if (best !== undefined && length < best.first) break;
    const group = index.wildcardsByHead.get(path.slice(0, length));
    if (group === undefined) continue;
    parts ??= path.split('/');
    for (const rule of group) {
      if (matchesWildcard(rule, parts) && (best === undefined || ranksBelow(best, rule))) best = rule;
    }
  }
  return best?.permissions;
}

function matchesWildcard(rule: WildcardRule, parts: string[]): boolean {
  const segments = rule.segments;
  if (parts.length < segments.length || (!rule.isPrefix && parts.length !== segments.length)) return false;
  const last = segments.length - 1;
  return segments.every((segment, i) => {
    const part = parts[i] as string;
    return segment === '+' || segment === part || (rule.isPrefix && i === last && part.startsWith(segment));
  });
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
