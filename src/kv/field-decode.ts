import { SecretrunError } from '../errors.js';
import { isJsonObject, type JsonObject } from '../json.js';
import { renderGoValue } from '../go/value.js';
import { maxDurationSeconds, nanosPerSecond, parseGoDuration } from '../go/duration.js';
import { quoteGo } from '../go/strconv.js';

// The Go kind mapstructure names when a value has the wrong type.
function goKind(value: unknown): string {
  if (value === null || value === undefined) return 'invalid';
  if (Array.isArray(value)) return 'slice';
  if (typeof value === 'boolean') return 'bool';
  // JSON numbers reach Vault's handlers as json.Number, a string kind.
  if (typeof value === 'number' || typeof value === 'string') return 'string';
  return 'map';
}

// Vault's 400 for a request field that cannot be converted to its declared type. Vault echoes
// the input; for fields holding secret data (`secret: true`) we print a placeholder instead.
export function fieldValidationError(field: string, value: unknown, detail: string, { secret = false } = {}): SecretrunError {
  const shown = secret ? '<redacted>' : renderGoValue(value);
  return new SecretrunError('invalid_request', `Field validation failed: error converting input ${shown} for field "${field}": ${detail}`);
}

// Weakly decodes an integer (number, numeric string, boolean), as Vault's `TypeInt` fields do.
export function decodeInt(value: unknown, field: string): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    throw fieldValidationError(field, value, `error decoding json.Number into : strconv.ParseInt: parsing "${value}": invalid syntax`);
  }
  if (typeof value === 'string') {
    const text = value === '' ? '0' : value;
    if (/^[+-]?\d+$/.test(text)) return Number(text);
    throw fieldValidationError(field, value, `cannot parse '' as int: strconv.ParseInt: parsing "${value}": invalid syntax`);
  }
  throw fieldValidationError(field, value, `'' expected type 'int', got unconvertible type '${goKind(value)}'`);
}

// Weakly decodes a boolean (Go strconv.ParseBool spellings, numbers non-zero = true).
export function decodeBool(value: unknown, field: string): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
    if (['', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
    throw fieldValidationError(field, value, `cannot parse '' as bool: strconv.ParseBool: parsing "${value}": invalid syntax`);
  }
  throw fieldValidationError(field, value, `'' expected type 'bool', got unconvertible type '${goKind(value)}'`);
}

// Requires a JSON object, as Vault's `TypeMap` fields do. `secret: true` keeps the value out of
// the error message (secret data must never appear in one).
export function decodeMap(value: unknown, field: string, { secret = false } = {}): JsonObject {
  if (isJsonObject(value)) return value;
  throw fieldValidationError(field, value, `'' expected a map, got '${goKind(value)}'`, { secret });
}

// A field counts as given when it is present and not null (Vault's GetOk on decoded JSON).
export function given(input: Readonly<Record<string, unknown>>, field: string): boolean {
  return input[field] !== undefined && input[field] !== null;
}

// Reads a duration the way Vault's `TypeDurationSecond` fields do (parseutil.ParseDurationSecond):
// integer seconds as a number or numeric string, `<n>d` days, or Go syntax; whole seconds result.
// `signed: false` rejects negatives like Vault's unsigned duration fields.
export function decodeDurationSeconds(value: unknown, field: string, { signed = true } = {}): number {
  const seconds = durationSecondsOf(value);
  if (typeof seconds === 'string') throw fieldValidationError(field, value, seconds);
  if (!signed && seconds < 0) throw fieldValidationError(field, value, 'cannot provide negative value');
  return seconds;
}

// Whole seconds of a duration field, or Go's error text.
// Whole seconds, or why they are refused: past Go's longest duration Go would silently wrap
// them, and a time that far off can be neither stored nor shown.
function secondsInRange(seconds: number, text: string): number | string {
  if (Math.abs(seconds) <= maxDurationSeconds) return seconds;
  return `duration ${quoteGo(text)} out of range: at most ${maxDurationSeconds} seconds (2562047h47m16s)`;
}

function durationSecondsOf(value: unknown): number | string {
  if (value === undefined || value === null) return 0;
  // Vault decodes JSON numbers as json.Number, i.e. text, so 1.5 fails exactly like "1.5".
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return 'could not parse duration from input';
  if (text === '') return 0;
  if (/^[+-]?\d+$/.test(text)) return secondsInRange(Number(text), text);
  if (text.endsWith('d')) {
    const days = text.slice(0, -1);
    if (!/^[+-]?\d+$/.test(days)) return `strconv.ParseInt: parsing ${quoteGo(days)}: invalid syntax`;
    return secondsInRange(Number(days) * 86_400, text);
  }
  const parsed = parseGoDuration(text);
  // Whole seconds, truncated toward zero, as Vault stores `int(dur.Seconds())`.
  return parsed.ok ? Number(parsed.value / nanosPerSecond) : parsed.error;
}
