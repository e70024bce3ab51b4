import { invalidRequest } from '../errors.js';
import type { CustomMetadata } from './custom-metadata.js';
import { parseCustomMetadata, validateCustomMetadata } from './custom-metadata.js';
import { renderGoDuration, secondsToNanos } from '../go/duration.js';
import { decodeDurationSeconds } from './field-decode.js';
import { decodeBool, decodeInt, decodeMap, given } from './field-decode.js';
import { createKeyMetadata, renderCustomMetadata } from './key-metadata.js';
import type { KeyMetadata } from './key-metadata.js';
import { folderPrefix, listChildren } from './list-keys.js';
import { loadConfig } from './kv-v2-config.js';
import { deleteVersionData, loadKeyMetadata, saveKeyMetadata } from './kv-v2-storage.js';
import { metaKey, metaPrefix } from './kv-scope.js';
import type { KvScope } from './kv-scope.js';
import { formatOptionalTimestamp, formatTimestamp } from './timestamp.js';

// One entry of the `versions` map in a metadata read.
export interface VersionSummaryWire {
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

// `GET metadata/<key>` data in Vault's wire shape (key-level settings, 0/false/"0s" = inherit).
export interface KeyMetadataWire {
  cas_required: boolean;
  created_time: string;
  current_version: number;
  custom_metadata: CustomMetadata | null;
  delete_version_after: string;
  max_versions: number;
  oldest_version: number;
  updated_time: string;
  versions: Record<string, VersionSummaryWire>;
}

// The body of a metadata write or patch.
export interface MetadataInput {
  max_versions?: unknown;
  cas_required?: unknown;
  delete_version_after?: unknown;
  custom_metadata?: unknown;
}

// A metadata write or patch that succeeded; warnings empty = Vault's 204.
export interface MetadataWriteResult {
  warnings: string[];
}

const casIgnoredWarning =
  '"cas_required" set to false, but is mandated by backend config. This value will be ignored.';

// Reads a key's metadata, or undefined when the key does not exist.
export function readMetadata(scope: KvScope, key: string): KeyMetadataWire | undefined {
  const meta = loadKeyMetadata(scope, key);
  if (meta === undefined) return undefined;
  const versions: Record<string, VersionSummaryWire> = {};
  const numbers = Object.keys(meta.versions).map(Number).sort((a, b) => a - b);
  for (const n of numbers) {
    const record = meta.versions[String(n)];
    if (record === undefined) continue;
    versions[String(n)] = {
      created_time: formatTimestamp(record.created_time),
      deletion_time: formatOptionalTimestamp(record.deletion_time),
      destroyed: record.destroyed,
    };
  }
  return {
    cas_required: meta.cas_required,
    created_time: formatTimestamp(meta.created_time),
    current_version: meta.current_version,
    custom_metadata: renderCustomMetadata(meta.custom_metadata),
    delete_version_after: renderGoDuration(secondsToNanos(meta.delete_version_after)),
    max_versions: meta.max_versions,
    oldest_version: meta.oldest_version,
    updated_time: formatTimestamp(meta.updated_time),
    versions,
  };
}

// The settings fields of a metadata body, converted with Vault's field rules.
interface MetadataSettings {
  maxVersions?: number;
  casRequired?: boolean;
  deleteVersionAfter?: number;
}

function decodeSettings(input: MetadataInput): MetadataSettings {
  const fields = input as Readonly<Record<string, unknown>>;
  const settings: MetadataSettings = {};
  // Stored as uint32 in Vault, so a negative number wraps rather than failing.
  if (given(fields, 'max_versions')) settings.maxVersions = decodeInt(input.max_versions, 'max_versions') >>> 0;
  if (given(fields, 'cas_required')) settings.casRequired = decodeBool(input.cas_required, 'cas_required');
  if (given(fields, 'delete_version_after')) {
    settings.deleteVersionAfter = decodeDurationSeconds(input.delete_version_after, 'delete_version_after', { signed: false });
  }
  return settings;
}

function applySettings(meta: KeyMetadata, settings: MetadataSettings): void {
  if (settings.maxVersions !== undefined) meta.max_versions = settings.maxVersions;
  if (settings.casRequired !== undefined) meta.cas_required = settings.casRequired;
  if (settings.deleteVersionAfter !== undefined) meta.delete_version_after = settings.deleteVersionAfter;
}

function casWarnings(scope: KvScope, settings: MetadataSettings): string[] {
  return settings.casRequired === false && loadConfig(scope).cas_required ? [casIgnoredWarning] : [];
}

// Writes key settings and custom_metadata (Vault `POST metadata/<key>`), creating a key with no
// versions if needed. With none of the four fields given nothing happens (Vault's fast path).
// custom_metadata replaces the whole map.
export function writeMetadata(scope: KvScope, key: string, input: MetadataInput, now: number): MetadataWriteResult {
  if (key === '') throw invalidRequest('missing path');
  const settings = decodeSettings(input);
  const hasCustom = given(input as Readonly<Record<string, unknown>>, 'custom_metadata');
  if (!hasCustom && Object.keys(settings).length === 0) return { warnings: [] };
  let custom: CustomMetadata | undefined;
  if (hasCustom) {
    custom = parseCustomMetadata(input.custom_metadata);
    validateCustomMetadata(custom);
  }
  const warnings = casWarnings(scope, settings);
  const meta = loadKeyMetadata(scope, key) ?? createKeyMetadata(key, now);
  applySettings(meta, settings);
  if (custom !== undefined) meta.custom_metadata = Object.keys(custom).length === 0 ? null : custom;
  saveKeyMetadata(scope, meta);
  return { warnings };
}

// Patches key settings (Vault `PATCH metadata/<key>`): omitted fields stay, custom_metadata
// merges key-wise with null removing a key. A missing key is undefined (Vault: empty 404).
export function patchMetadata(scope: KvScope, key: string, input: MetadataInput): MetadataWriteResult | undefined {
  if (key === '') throw invalidRequest('missing path');
  const settings = decodeSettings(input);
  const hasCustom = given(input as Readonly<Record<string, unknown>>, 'custom_metadata');
  if (hasCustom) validateCustomMetadata(parseCustomMetadata(input.custom_metadata, { dropNulls: true }));
  const meta = loadKeyMetadata(scope, key);
  if (meta === undefined) return undefined;
  const warnings = casWarnings(scope, settings);
  applySettings(meta, settings);
  if (hasCustom) {
    const merged: CustomMetadata = { ...(meta.custom_metadata ?? {}) };
    const patch = decodeMap(input.custom_metadata, 'custom_metadata');
    const values = parseCustomMetadata(patch, { dropNulls: true });
    for (const name of Object.keys(patch)) {
      const value = values[name];
      if (value === undefined) delete merged[name];
      else merged[name] = value;
    }
    meta.custom_metadata = Object.keys(merged).length === 0 ? null : merged;
  }
  saveKeyMetadata(scope, meta);
  return { warnings };
}

// Removes a key with all its versions (Vault `DELETE metadata/<key>`); a missing key is a no-op.
export function deleteMetadata(scope: KvScope, key: string): void {
  const meta = loadKeyMetadata(scope, key);
  if (meta === undefined) return;
  for (const version of Object.keys(meta.versions)) deleteVersionData(scope, key, Number(version));
  scope.storage.delete(metaKey(scope.uuid, key));
}

// Immediate children of a folder (Vault LIST `metadata/<prefix>`), sorted; empty = nothing there.
// Names come from storage keys alone, so nothing is decrypted.
export function listKeys(scope: KvScope, prefix: string): string[] {
  const base = metaPrefix(scope.uuid) + folderPrefix(prefix);
  return listChildren(scope.storage.list(base), base);
}
