// Which storage keys are runtime state. Decisions people make and review in git — mounts,
// secrets, policies, auth methods and their users and roles, audit configuration — live in the
// committed store file. What changes at run time by itself — tokens, accessors, use counts,
// secret-ids, leases — lives in the state file beside it (store-paths.ts: `.secretrun/state/`,
// git-ignored, same key), so a login or a renewal never churns the file a team commits. The
// engines see one Storage; the file store routes each key by these prefixes. Pure.

// The storage-key prefixes of runtime state, sorted. A new engine or auth method that writes
// at run time adds its prefix here (test/store/state-routing.test.ts checks where a key under
// each lands): token records, accessors and the parent index under `sys/token/`; auth methods'
// secret-ids, their use counts and accessors under `sys/auth-state/<method uuid>/`
// (auth-methods.ts); the database engine's leases under `sys/lease/`.
export const runtimePrefixes: readonly string[] = ['sys/auth-state/', 'sys/lease/', 'sys/token/'];

// Is `key` runtime state under `prefixes`?
export function isRuntimeKey(key: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (key.startsWith(prefix)) return true;
  return false;
}

// Can a listing of `prefix` hold runtime keys (so the state file must be consulted)?
export function listsRuntime(prefix: string, prefixes: readonly string[]): boolean {
  return prefixes.some((runtime) => runtime.startsWith(prefix) || prefix.startsWith(runtime));
}

// Changes (key → value, or null to delete) split by the file they belong in.
export function splitByFile<T>(changes: ReadonlyMap<string, T>, prefixes: readonly string[]): { committed: Map<string, T>; state: Map<string, T> } {
  const committed = new Map<string, T>();
  const state = new Map<string, T>();
  for (const [key, value] of changes) (isRuntimeKey(key, prefixes) ? state : committed).set(key, value);
  return { committed, state };
}
