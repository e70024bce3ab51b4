import { encodeGoString } from '../go/json.js';
import { compareGoStrings } from '../go/string-order.js';
import type { JsonValue } from '../json.js';
import type { Hasher } from './audit-hash.js';

// Go's JSON of a value with every string (and, when `numbers`, every number) replaced by its
// hash, as Vault's hashstructure.go walks it: keys, booleans and null stay. Written in one pass,
// the same text as renderGoJson() of a hashed copy without building the copy (bench/server.mjs
// --audit). Numbers are hashed where they are stored values: Vault decodes request bodies and
// stored secrets with json.Number, a string its walker hashes, while numbers an engine computes
// (a version, a TTL) stay clear. Maps are sorted in Go's order; a hash needs no escaping.
export function renderHashedGoJson(value: JsonValue, hash: Hasher, numbers: boolean): string {
  if (typeof value === 'string') return `"${hash(value)}"`;
  if (typeof value === 'number') return numbers ? `"${hash(String(value))}"` : JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((item) => renderHashedGoJson(item, hash, numbers)).join(',')}]`;
  const keys = Object.keys(value).sort(compareGoStrings);
  let out = '';
  for (const key of keys) {
    const item = value[key];
    if (item === undefined) continue;
    out += `${out === '' ? '' : ','}${encodeGoString(key)}:${renderHashedGoJson(item, hash, numbers)}`;
  }
  return `{${out}}`;
}
