import type { Storage } from '../store/storage.js';

// One KV mount's view of storage: every key the engine touches lives under `kv/<uuid>/`.
export interface KvScope {
  storage: Storage;
  /** The mount's uuid from the mounts table. */
  uuid: string;
}

// Storage key prefix of everything a mount owns (disabling the mount deletes it all).
export function mountPrefix(uuid: string): string {
  return `kv/${uuid}/`;
}

// Where a KV v2 mount keeps its `config`.
export function configKey(uuid: string): string {
  return `${mountPrefix(uuid)}config`;
}

// Prefix of the KV v2 key-metadata entries; the key names below it are what LIST returns.
export function metaPrefix(uuid: string): string {
  return `${mountPrefix(uuid)}meta/`;
}

// Where a KV v2 key's metadata (versions, settings, custom_metadata) lives.
export function metaKey(uuid: string, key: string): string {
  return `${metaPrefix(uuid)}${key}`;
}

// Where the data of one KV v2 version lives.
export function versionKey(uuid: string, key: string, version: number): string {
  return `${mountPrefix(uuid)}data/${key}@${version}`;
}

// Prefix of KV v1 entries.
export function v1Prefix(uuid: string): string {
  return `${mountPrefix(uuid)}v1/`;
}

// Where a KV v1 key's object lives.
export function v1Key(uuid: string, key: string): string {
  return `${v1Prefix(uuid)}${key}`;
}
