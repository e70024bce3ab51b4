import { SecretrunError } from '../errors.js';
import { decodeMap } from './field-decode.js';
import { sortedGoKeys } from '../go/string-order.js';
import { renderGoValue } from '../go/value.js';

// A key's custom_metadata: string keys to string values.
export type CustomMetadata = Record<string, string>;

const maxKeys = 64;
const maxKeyLength = 128;
const maxValueLength = 512;
const prefix = 'custom_metadata validation failed';

const encoder = new TextEncoder();
// Go's len() of a string counts UTF-8 bytes, and Vault's limits are written against it.
const byteLength = (text: string): number => encoder.encode(text).length;

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u;

// Quotes like Go's %q so messages name keys exactly as Vault prints them.
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (printable.test(char)) out += char;
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

// Go's go-multierror text, which Vault returns as the single error string.
export function formatMultiError(messages: readonly string[]): string {
  const points = messages.map((m) => `* ${m}`).join('\n\t');
  return messages.length === 1 ? `1 error occurred:\n\t${points}\n\n` : `${messages.length} errors occurred:\n\t${points}\n\n`;
}

// Turns request input into custom_metadata: values are weakly stringified like mapstructure
// (booleans as 1/0). `dropNulls` is for PATCH, where null means "remove this key".
export function parseCustomMetadata(raw: unknown, { dropNulls = false } = {}): CustomMetadata {
  const map = decodeMap(raw, 'custom_metadata');
  // Keys are the client's: without a prototype, `__proto__` is kept like any other key.
  const result = Object.create(null) as CustomMetadata;
  for (const [key, value] of Object.entries(map)) {
    if (value === null && dropNulls) continue;
    if (value === null) result[key] = '';
    else if (typeof value === 'string') result[key] = value;
    else if (typeof value === 'number') result[key] = String(value);
    else if (typeof value === 'boolean') result[key] = value ? '1' : '0';
    else {
      const type = Array.isArray(value) ? '[]interface {}' : 'map[string]interface {}';
      throw new SecretrunError(
        'invalid_request',
        `${prefix}: '' expected type 'string', got unconvertible type '${type}', value: '${renderGoValue(value)}'`,
      );
    }
  }
  return result;
}

// Every rule custom_metadata breaks, in Vault's words (the key count short-circuits the rest).
// Keys are checked in sorted order so the text is stable; values are never quoted.
export function checkCustomMetadata(metadata: CustomMetadata): string[] {
  const keys = sortedGoKeys(metadata);
  if (keys.length > maxKeys) return [`${prefix}: payload must contain at most ${maxKeys} keys, provided ${keys.length}`];
  const problems: string[] = [];
  for (const key of keys) {
    const value = metadata[key] ?? '';
    const keyLength = byteLength(key);
    const valueLength = byteLength(value);
    if (keyLength === 0 || keyLength > maxKeyLength) {
      problems.push(`${prefix}: length of key ${goQuote(key)} is ${keyLength} but must be 0 < len(key) <= ${maxKeyLength}`);
    }
    if (valueLength === 0 || valueLength > maxValueLength) {
      problems.push(
        `${prefix}: length of value for key ${goQuote(key)} is ${valueLength} but must be 0 < len(value) <= ${maxValueLength}`,
      );
    }
    if (!printable.test(key)) problems.push(`${prefix}: key ${goQuote(key)} (${key}) contains unprintable characters`);
    if (!printable.test(value)) problems.push(`${prefix}: value for key ${goQuote(key)} contains unprintable characters`);
  }
  return problems;
}

// Throws Vault's multi-error 400 when custom_metadata breaks any limit.
export function validateCustomMetadata(metadata: CustomMetadata): void {
  const problems = checkCustomMetadata(metadata);
  if (problems.length > 0) throw new SecretrunError('invalid_request', formatMultiError(problems));
}
