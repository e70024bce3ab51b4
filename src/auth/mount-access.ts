import { compareGoStrings } from '../go/string-order.js';
import { findGoverning, type RuleIndex } from './acl-index.js';
import { capabilityBits, denyBit, type Permissions } from './acl-permissions.js';

// Whether a token may learn about a mount — how Vault authorises the CLI's preflight
// `sys/internal/ui/mounts/<path>` (logical_system.go hasMountAccess): the token needs some
// capability other than deny on the mount path itself, or on any rule at or below it — an
// exact rule, a `*` rule, or a `+` rule that could match a path under the mount. A policy
// granting only `read` on `secret/data/app/db` therefore lets `kv get` find `secret/`.

// The capabilities that count as access (deny never does; subscribe and recover do not either).
const accessBits = ['create', 'read', 'update', 'delete', 'list', 'sudo', 'patch'].reduce((sum, name) => sum | capabilityBits[name as keyof typeof capabilityBits], 0);

// The index's exact and `*` patterns in Go order, for walking every pattern under a mount.
export interface SortedPatterns {
  exact: string[];
  prefix: string[];
}

export function buildSortedPatterns(index: RuleIndex): SortedPatterns {
  return { exact: [...index.exact.keys()].sort(compareGoStrings), prefix: [...index.prefix.keys()].sort(compareGoStrings) };
}

// Does the index grant anything at or below `mountPath` (a mount path ending in `/`)?
export function checkMountAccess(index: RuleIndex, sorted: SortedPatterns, mountPath: string): boolean {
  const own = findGoverning(index, mountPath, true);
  if (own !== undefined && own.bits !== 0 && (own.bits & denyBit) === 0) return true;
  const grants = (permissions: Permissions | undefined): boolean => permissions !== undefined && (permissions.bits & denyBit) === 0 && (permissions.bits & accessBits) !== 0;
  if (patternsUnder(sorted.exact, mountPath).some((key) => grants(index.exact.get(key)))) return true;
  if (patternsUnder(sorted.prefix, mountPath).some((key) => grants(index.prefix.get(key)))) return true;
  return index.wildcards.some((rule) => (rule.permissions.bits & denyBit) === 0 && rule.permissions.bits !== 0 && wildcardReachesMount(rule.segments, rule.isPrefix, mountPath));
}

// The sorted patterns that start with `prefix` (a binary search, then a walk).
function patternsUnder(sorted: string[], prefix: string): string[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareGoStrings(sorted[middle] as string, prefix) < 0) low = middle + 1;
    else high = middle;
  }
  const found: string[] = [];
  for (let i = low; i < sorted.length && (sorted[i] as string).startsWith(prefix); i++) found.push(sorted[i] as string);
  return found;
}

// acl.go's bare-mount walk of a `+` pattern: its segments, up to the mount's depth, are
// compared with the mount path's (a `+` takes the mount's segment, a trailing glob segment its
// prefix); the pattern reaches the mount when what it spells so far starts with the mount path.
function wildcardReachesMount(segments: string[], isPrefix: boolean, mountPath: string): boolean {
  const parts = mountPath.split('/');
  const spelled: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const part = parts[i] ?? '';
    if (segment === '+' || segment === part) spelled.push(part);
    else if (isPrefix && i === segments.length - 1 && part.startsWith(segment)) spelled.push(...parts.slice(i));
    if (i === parts.length - 2) return `${spelled.join('/')}/`.startsWith(mountPath);
  }
  return false;
}
