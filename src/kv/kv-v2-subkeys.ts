import { invalidRequest } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';
import { decodeInt } from './field-decode.js';
import { isJsonObject } from '../json.js';
import type { VersionMetadataWire } from './key-metadata.js';
import { readData } from './kv-v2-data.js';
import type { KvScope } from './kv-scope.js';

// The structure of a secret with every value replaced by null.
export type Subkeys = { [key: string]: Subkeys | null };

// A subkeys read: like a data read, but the live case carries only the structure.
export type SubkeysReadResult =
  | { status: 'live'; subkeys: Subkeys; metadata: VersionMetadataWire }
  | { status: 'deleted' | 'destroyed'; subkeys: null; metadata: VersionMetadataWire };

// Query parameters of `GET subkeys/<key>`.
export interface SubkeysOptions {
  version?: unknown;
  depth?: unknown;
}

// Vault's hard limit on how deep the structure is walked when no depth is asked for.
const maxDepth = 100;

// Strips every value from `data`: leaves and empty objects become null, and objects at `depth`
// (1 = top level; 0 = unlimited) are cut off as leaves so nothing below them leaks.
export function buildSubkeys(data: JsonObject, depth: number): Subkeys {
  const limit = depth > 0 ? depth : maxDepth;
  const walk = (object: JsonObject, level: number): Subkeys => {
    // Keys are the secret's: without a prototype, `__proto__` is kept like any other key.
    const result = Object.create(null) as Subkeys;
    for (const [name, value] of Object.entries(object)) {
      const nested: JsonValue = value;
      result[name] =
        isJsonObject(nested) && Object.keys(nested).length > 0 && level + 1 <= limit ? walk(nested, level + 1) : null;
    }
    return result;
  };
  return walk(data, 1);
}

// Reads the subkeys of one version (Vault `GET subkeys/<key>`); undefined = missing key/version.
export function readSubkeys(scope: KvScope, key: string, options: SubkeysOptions, now: number): SubkeysReadResult | undefined {
  const depth = options.depth === undefined ? 0 : decodeInt(options.depth, 'depth');
  if (depth < 0) throw invalidRequest('depth must be greater than or equal to 0');
  // The same version rules as a data read; only the shape of the answer differs.
  const read = readData(scope, key, { version: options.version }, now);
  if (read === undefined) return undefined;
  if (read.status !== 'live') return { status: read.status, subkeys: null, metadata: read.metadata };
  return { status: 'live', subkeys: buildSubkeys(read.data, depth), metadata: read.metadata };
}
