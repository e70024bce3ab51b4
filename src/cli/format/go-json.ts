import { SecretrunError } from '../../errors.js';
import { sortedGoKeys } from './go-order.js';
import { isJsonObject } from './go-value.js';

// Go's json.MarshalIndent(value, "", "  ") as Vault's `-format=json` prints it. Plain objects
// are Go maps (keys sorted in Go order, so numeric-looking keys do not jump ahead as they do in
// JavaScript objects); a `Map` is a Go struct whose fields keep their insertion order. Strings
// get Go's HTML-safe escaping (`<` → `\u003c`, `>`, `&`, U+2028, U+2029).
export function renderGoJson(value: unknown): string {
  return encode(value, '');
}

function encode(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return encodeGoString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SecretrunError('internal', `json: unsupported value: ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'bigint') return value.toString();
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => `${inner}${encode(item, inner)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  let entries: [string, unknown][];
  if (value instanceof Map) entries = [...value.entries()].map(([key, item]) => [String(key), item]);
  else if (isJsonObject(value)) entries = sortedGoKeys(value).map((key) => [key, value[key]]);
  else throw new SecretrunError('internal', `json: unsupported type: ${typeof value}`);
  if (entries.length === 0) return '{}';
  const fields = entries.map(([key, item]) => `${inner}${encodeGoString(key)}: ${encode(item, inner)}`);
  return `{\n${fields.join(',\n')}\n${indent}}`;
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const htmlUnsafe = /[<>&\u2028\u2029]/g;

// A JSON string literal as Go's encoder writes it: lone surrogates (invalid UTF-8 to Go)
// become U+FFFD and HTML-sensitive characters are \u-escaped.
export function encodeGoString(text: string): string {
  return JSON.stringify(text.replace(loneSurrogate, '\ufffd')).replace(
    htmlUnsafe,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
