// What a storage key of the store holds, read from the key alone (keys are visible in the file
// without any key; values are not). The shapes are the engines' (kv/kv-scope.ts,
// sys/mounts.ts); anything else is opaque and merged as one value. Pure.

// A classified storage key.
export type StorageKeyKind =
  | { kind: 'mounts' }
  | { kind: 'kv-config'; uuid: string }
  | { kind: 'kv-meta'; uuid: string; key: string }
  | { kind: 'kv-data'; uuid: string; key: string; version: number }
  | { kind: 'kv-v1'; uuid: string; key: string }
  | { kind: 'other' };

const kvKey = /^kv\/([^/]+)\/(config|meta\/|data\/|v1\/)(.*)$/s;

// Classifies one storage key.
export function parseStorageKey(storageKey: string): StorageKeyKind {
  if (storageKey === 'sys/mounts') return { kind: 'mounts' };
  const match = kvKey.exec(storageKey);
  if (match === null) return { kind: 'other' };
  const [, uuid = '', part, rest = ''] = match;
  if (part === 'config') return rest === '' ? { kind: 'kv-config', uuid } : { kind: 'other' };
  if (rest === '') return { kind: 'other' };
  if (part === 'meta/') return { kind: 'kv-meta', uuid, key: rest };
  if (part === 'v1/') return { kind: 'kv-v1', uuid, key: rest };
  const at = rest.lastIndexOf('@');
  const version = at > 0 && /^[1-9][0-9]*$/.test(rest.slice(at + 1)) ? Number(rest.slice(at + 1)) : undefined;
  return version === undefined || !Number.isSafeInteger(version) ? { kind: 'other' } : { kind: 'kv-data', uuid, key: rest.slice(0, at), version };
}

// The uuid of the mount a storage key belongs to, if it is under `kv/<uuid>/`.
export function mountUuidOf(storageKey: string): string | undefined {
  const match = /^kv\/([^/]+)\//.exec(storageKey);
  return match?.[1];
}
