import { SecretrunError } from '../errors.js';
import { invalidRequest } from '../errors.js';
import type { JsonObject } from '../json.js';
import { checkCas } from './check-and-set.js';
import { computeDeletionTime } from './deletion-time.js';
import { decodeInt, decodeMap } from './field-decode.js';
import { isJsonObject } from '../json.js';
import { addVersion, createKeyMetadata, renderVersionMetadata, versionStatus } from './key-metadata.js';
import type { KeyMetadata, VersionMetadataWire } from './key-metadata.js';
import { loadConfig } from './kv-v2-config.js';
import { deleteVersionData, loadKeyMetadata, loadVersionData, saveKeyMetadata, saveVersionData } from './kv-v2-storage.js';
import type { KvScope } from './kv-scope.js';
import { applyMergePatch } from './merge-patch.js';

// A version read: live with its data, or deleted/destroyed with only its metadata (Vault's
// 404 that still carries a body). A missing key or version is `undefined`.
export type DataReadResult =
  | { status: 'live'; data: JsonObject; metadata: VersionMetadataWire }
  | { status: 'deleted' | 'destroyed'; data: null; metadata: VersionMetadataWire };

// A successful write or patch: the new version's metadata (flat, as Vault returns it).
export interface DataWriteResult {
  status: 'written';
  metadata: VersionMetadataWire;
  warnings: string[];
}

// A patch that found the current version deleted or destroyed (Vault: 404 with that metadata).
export interface DataPatchRefused {
  status: 'deleted' | 'destroyed';
  metadata: VersionMetadataWire;
}

// The body of a data write or patch.
export interface DataWriteInput {
  data?: unknown;
  options?: unknown;
}

// Which version a read asks for; absent, 0 or negative = current.
export interface DataReadOptions {
  version?: unknown;
}

// Parses the `version` parameter (number or numeric string) into the version number to read.
export function resolveVersion(meta: KeyMetadata, version: unknown): number {
  const requested = version === undefined ? 0 : decodeInt(version, 'version');
  return requested > 0 ? requested : meta.current_version;
}

// Reads one version of a key (Vault `GET data/<key>`).
export function readData(scope: KvScope, key: string, options: DataReadOptions, now: number): DataReadResult | undefined {
  const meta = loadKeyMetadata(scope, key);
  if (meta === undefined) return undefined;
  const version = resolveVersion(meta, options.version);
  const record = meta.versions[String(version)];
  if (record === undefined) return undefined;
  const metadata = renderVersionMetadata(meta, version, record);
  const status = versionStatus(record, now);
  if (status !== 'live') return { status, data: null, metadata };
  return { status, data: loadVersionData(scope, key, version), metadata };
}

// The `data` object of a write or patch body; null or missing is Vault's "no data provided".
function requireData(input: DataWriteInput): JsonObject {
  if (input.data === undefined || input.data === null) throw invalidRequest('no data provided');
  return decodeMap(input.data, 'data', { secret: true });
}

// Stores `data` as the key's next version, applying delete_version_after and pruning.
function appendVersion(scope: KvScope, meta: KeyMetadata, data: JsonObject, now: number): DataWriteResult {
  const config = loadConfig(scope);
  const deletionTime = computeDeletionTime(now, config.delete_version_after, meta.delete_version_after);
  const added = addVersion(meta, now, deletionTime, config.max_versions);
  saveVersionData(scope, meta.key, added.version, data);
  saveKeyMetadata(scope, added.metadata);
  for (const version of added.pruned) deleteVersionData(scope, meta.key, version);
  const record = added.metadata.versions[String(added.version)];
  if (record === undefined) throw new SecretrunError('internal', 'addVersion lost the version it added');
  return { status: 'written', metadata: renderVersionMetadata(added.metadata, added.version, record), warnings: [] };
}

// Writes a new version (Vault `POST data/<key>`), enforcing check-and-set.
export function writeData(scope: KvScope, key: string, input: DataWriteInput, now: number): DataWriteResult {
  if (key === '') throw invalidRequest('missing path');
  const data = requireData(input);
  const config = loadConfig(scope);
  const meta = loadKeyMetadata(scope, key) ?? createKeyMetadata(key, now);
  checkCas(input.options, config.cas_required, meta);
  return appendVersion(scope, meta, structuredClone(data), now);
}

// Merge-patches the current version into a new one (Vault `PATCH data/<key>`), checking in
// Vault's order: data given, key exists, CAS, current version exists, current version readable.
export function patchData(
  scope: KvScope,
  key: string,
  input: DataWriteInput,
  now: number,
): DataWriteResult | DataPatchRefused | undefined {
  const patch = requireData(input);
  const meta = loadKeyMetadata(scope, key);
  if (meta === undefined) return undefined;
  checkCas(input.options, loadConfig(scope).cas_required, meta);
  const record = meta.versions[String(meta.current_version)];
  if (record === undefined) return undefined;
  const status = versionStatus(record, now);
  if (status !== 'live') return { status, metadata: renderVersionMetadata(meta, meta.current_version, record) };
  const merged = applyMergePatch(loadVersionData(scope, key, meta.current_version), patch);
  return appendVersion(scope, meta, isJsonObject(merged) ? merged : {}, now);
}

// Soft-deletes the current version (Vault `DELETE data/<key>`); a no-op when the key or its
// current version is missing, destroyed or already deleted.
export function deleteLatestData(scope: KvScope, key: string, now: number): void {
  const meta = loadKeyMetadata(scope, key);
  if (meta === undefined) return;
  const record = meta.versions[String(meta.current_version)];
  if (record === undefined || versionStatus(record, now) !== 'live') return;
  record.deletion_time = now;
  saveKeyMetadata(scope, meta);
}
