// Vault's root-protected paths: a request to one needs the `sudo` capability on top of the
// operation's own (or the root policy). These are the backends' `PathsSpecial.Root` lists — the
// system backend's (vault/logical_system.go) and the token store's (vault/token_store.go) —
// written as full request paths. A pattern ending in `*` is a prefix; any other is exact, as
// the router matches them. Paths secretrun does not serve are listed too, so that serving one
// later cannot forget its sudo requirement.
//
// Not listed because Vault checks them inside the handler rather than by path (the engineer
// wiring those routes must ask AclDecision.sudo): `auth/token/create` with `no_parent` or
// policies outside the caller's, and `auth/token/revoke-orphan` without a path suffix.

const sudoPatterns = [
  'sys/auth/*',
  'sys/remount',
  'sys/audit',
  'sys/audit/*',
  'sys/raw',
  'sys/raw/*',
  'sys/replication/primary/secondary-token',
  'sys/replication/performance/primary/secondary-token',
  'sys/replication/dr/primary/secondary-token',
  'sys/replication/reindex',
  'sys/replication/dr/reindex',
  'sys/replication/performance/reindex',
  'sys/rotate',
  'sys/config/cors',
  'sys/config/auditing/*',
  'sys/config/ui/headers/*',
  'sys/plugins/catalog/*',
  'sys/plugins/runtimes/catalog/*',
  'sys/revoke-prefix/*',
  'sys/revoke-force/*',
  'sys/leases/revoke-prefix/*',
  'sys/leases/revoke-force/*',
  'sys/leases/lookup/*',
  'sys/storage/raft/snapshot-auto/config/*',
  'sys/leases',
  'sys/internal/inspect/*',
  // Enforced in Vault's HTTP layer rather than by PathsSpecial, with the same effect.
  'sys/seal',
  'sys/step-down',
  'auth/token/revoke-orphan/*',
  'auth/token/accessors*',
] as const;

// The patterns, for documentation and tests.
export const sudoPathPatterns: readonly string[] = sudoPatterns;

const exact = new Set<string>(sudoPatterns.filter((pattern) => !pattern.endsWith('*')));
const prefixes = sudoPatterns.filter((pattern) => pattern.endsWith('*')).map((pattern) => pattern.slice(0, -1));

// Does a request to this path (no leading slash; LIST paths with their trailing slash) need sudo?
export function isSudoPath(path: string): boolean {
  if (!path.startsWith('sys/') && !path.startsWith('auth/token/')) return false;
  return exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
}
