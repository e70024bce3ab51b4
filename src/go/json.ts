import { SecretrunError } from '../errors.js';
import { compareGoStrings } from './string-order.js';

// JSON as Go's encoding/json writes it, for Vault's HTTP bodies and the CLI's `-format=json`:
// a plain object is a Go map (keys sorted in Go order, so `"10"` does not jump ahead of `"9"`
// as it does in a JavaScript object), an object marked with goStruct() is a struct (fields in
// the order given), strings get Go's HTML-safe escaping (`<` → `\u003c`, `>`, `&`, U+2028,
// U+2029) and lone surrogates, invalid UTF-8 to Go, become U+FFFD.

// Marks structs across bundles: the server and YAML output are bundled apart from the CLI.
const structMark = Symbol.for('secretrun.go-struct');

// Marks `fields` as a Go struct, whose fields keep their order when encoded; returns it.
export function goStruct<T extends object>(fields: T): T {
  Object.defineProperty(fields, structMark, { value: true, enumerable: false });
  return fields;
}

// Is this object a Go struct (goStruct) rather than a map?
export function isGoStruct(value: object): boolean {
  return (value as { [structMark]?: boolean })[structMark] === true;
}

// json.Marshal: compact, no trailing newline.
export function renderGoJson(value: unknown): string {
  return encode(value, undefined);
}

// json.MarshalIndent(value, "", "  "), as `vault ... -format=json` prints.
export function renderGoJsonIndented(value: unknown): string {
  return encode(value, '');
}

function encode(value: unknown, indent: string | undefined): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return encodeGoString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new SecretrunError('internal', `json: unsupported value: ${value}`);
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      throw new SecretrunError('internal', `json: unsupported type: ${typeof value}`);
  }
  const inner = indent === undefined ? undefined : `${indent}  `;
  const open = inner === undefined ? '' : `\n${inner}`;
  const separator = inner === undefined ? ',' : `,\n${inner}`;
  const close = inner === undefined ? '' : `\n${indent}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let out = '';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? open : separator) + encode(value[i], inner);
    return `[${out}${close}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (!isGoStruct(object)) keys.sort(compareGoStrings);
  let out = '';
  let first = true;
  const colon = inner === undefined ? ':' : ': ';
  for (const key of keys) {
    const item = object[key];
    // A field holding undefined is absent, as in JSON.stringify (Go has no such value).
    if (item === undefined) continue;
    out += (first ? open : separator) + encodeGoString(key) + colon + encode(item, inner);
    first = false;
  }
  return first ? '{}' : `{${out}${close}}`;
}

const htmlUnsafe = /[<>&\u2028\u2029]/g;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Printable ASCII without `"`, backslash, `<`, `>` and `&`: what both encoders leave as it is.
function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c || code === 0x3c || code === 0x3e || code === 0x26) return false;
  }
  return true;
}

// A JSON string literal as Go's encoder writes it. Most strings (paths, ids, audit hashes) need
// no escape and are quoted as they are, several times faster than JSON.stringify and the
// checks below (bench/server.mjs --audit writes some twenty of them per request).
export function encodeGoString(text: string): string {
  if (isPlainAscii(text)) return `"${text}"`;
  const quoted = JSON.stringify(text.isWellFormed() ? text : text.replace(loneSurrogate, '\ufffd'));
  htmlUnsafe.lastIndex = 0;
  if (!htmlUnsafe.test(quoted)) return quoted;
  return quoted.replace(htmlUnsafe, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
