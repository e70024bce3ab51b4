import type { JsonValue } from '../json.js';
import { deleteVersionAfterDisabled } from './deletion-time.js';
import { renderGoDuration, secondsToNanos } from '../go/duration.js';
import { decodeDurationSeconds } from './field-decode.js';
import { decodeBool, decodeInt, given } from './field-decode.js';
import { isJsonObject } from '../json.js';
import { configKey } from './kv-scope.js';
import type { KvScope } from './kv-scope.js';

// A KV v2 mount's settings as stored (0 / false = defaults; delete_version_after in seconds,
// -1 = disabled for every key).
export interface KvConfig {
  max_versions: number;
  cas_required: boolean;
  delete_version_after: number;
}

// `GET <mount>/config` data, in Vault's wire shape.
export interface KvConfigWire {
  cas_required: boolean;
  delete_version_after: string;
  max_versions: number;
}

// The body of `POST <mount>/config`; every field optional.
export interface KvConfigInput {
  max_versions?: unknown;
  cas_required?: unknown;
  delete_version_after?: unknown;
}

const defaults: KvConfig = { max_versions: 0, cas_required: false, delete_version_after: 0 };

// Loads a mount's config, the defaults when it was never written.
export function loadConfig(scope: KvScope): KvConfig {
  const stored: JsonValue | undefined = scope.storage.get(configKey(scope.uuid));
  if (!isJsonObject(stored)) return { ...defaults };
  return { ...defaults, ...(stored as unknown as Partial<KvConfig>) };
}

// Reads a mount's config in Vault's wire shape.
export function readConfig(scope: KvScope): KvConfigWire {
  const config = loadConfig(scope);
  return {
    cas_required: config.cas_required,
    delete_version_after: renderGoDuration(secondsToNanos(config.delete_version_after)),
    max_versions: config.max_versions,
  };
}

// Writes the given config fields. No field given = nothing stored (Vault's fast path). A
// negative delete_version_after disables the feature, 0 clears it.
export function writeConfig(scope: KvScope, input: KvConfigInput): void {
  const fields = input as Readonly<Record<string, unknown>>;
  // Vault converts every field before the handler runs, so a bad one fails before any write.
  const maxVersions = given(fields, 'max_versions') ? decodeInt(input.max_versions, 'max_versions') : undefined;
  const casRequired = given(fields, 'cas_required') ? decodeBool(input.cas_required, 'cas_required') : undefined;
  const dva = given(fields, 'delete_version_after')
    ? decodeDurationSeconds(input.delete_version_after, 'delete_version_after')
    : undefined;
  if (maxVersions === undefined && casRequired === undefined && dva === undefined) return;

  const config = loadConfig(scope);
  // Stored as uint32 in Vault, so a negative number wraps rather than failing.
  if (maxVersions !== undefined) config.max_versions = maxVersions >>> 0;
  if (casRequired !== undefined) config.cas_required = casRequired;
  if (dva !== undefined) config.delete_version_after = dva < 0 ? deleteVersionAfterDisabled : dva;
  scope.storage.put(configKey(scope.uuid), { ...config });
}
