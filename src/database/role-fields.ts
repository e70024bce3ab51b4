import { invalidRequest } from '../errors.js';
import type { JsonObject } from '../json.js';
import { parseGoDuration } from '../go/duration.js';
import { parseGoBool } from '../go/strconv.js';

// Field decoding for the database engine's paths, as Vault's framework does it (weakly: "5"
// for 5, "true" for true). Values are never quoted in errors: a connection's details hold
// passwords.

function refused(field: string, expected: string): never {
  throw invalidRequest(`Field validation failed: error converting input for field "${field}": expected ${expected}`);
}

// A field counts as given when present and not null (Vault's GetOk on decoded JSON).
export function given(input: Readonly<Record<string, unknown>>, field: string): boolean {
  return input[field] !== undefined && input[field] !== null;
}

// TypeStringSlice: a list of strings, or one string as a one-item list (never split on commas:
// statements hold commas); items trimmed; "" is the empty list.
export function decodeStringSlice(value: unknown, field: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : [value];
  if (items.some((item) => typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean')) refused(field, 'a string or a list of strings');
  return items.map((item) => String(item).trim());
}

// TypeCommaStringSlice: a list, or one comma-separated string; trimmed, no empty items.
export function decodeCommaList(value: unknown, field: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' || typeof value === 'number' ? String(value).split(',') : refused(field, 'a list of strings or a comma-separated string');
  if (items.some((item) => typeof item !== 'string' && typeof item !== 'number')) refused(field, 'a list of strings or a comma-separated string');
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

// TypeBool, weakly.
export function decodeBool(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const parsed = parseGoBool(value === '' ? 'false' : value);
    if (parsed.ok) return parsed.value;
  }
  return refused(field, 'a boolean');
}

// TypeDurationSecond, never negative: whole seconds as a number or numeric string, days ("7d"),
// or a Go duration ("1h30m").
export function decodeSeconds(value: unknown, field: string): number {
  if (value === undefined || value === null || value === '') return 0;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return refused(field, 'a duration');
  let seconds: number;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else if (/^\d+d$/.test(text)) seconds = Number(text.slice(0, -1)) * 86400;
  else {
    const parsed = parseGoDuration(text);
    if (!parsed.ok) throw invalidRequest(`Field validation failed: error converting input for field "${field}": ${parsed.error}`);
    seconds = Number(parsed.value / 1_000_000_000n);
  }
  if (seconds < 0) throw invalidRequest(`Field validation failed: error converting input for field "${field}": cannot provide negative value`);
  return seconds;
}

// TypeString.
export function decodeString(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return refused(field, 'a string');
}

// A field's new value on a write: the request's when given, else the current one on an update,
// else the default on a create (Vault's GetOk / createOperation pattern).
export function pick<T>(input: JsonObject, field: string, current: T | undefined, decode: (value: unknown, field: string) => T, fallback: T): T {
  if (given(input, field)) return decode(input[field], field);
  return current ?? fallback;
}
