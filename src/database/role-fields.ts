import { invalidRequest } from '../errors.js';
import type { JsonObject } from '../json.js';
import { decodeDurationSeconds, given } from '../kv/field-decode.js';

// Field decoding shared by the database engine's paths, as Vault's framework does it.

// TypeStringSlice: a list of strings, or one string as a one-item list (never split on commas:
// statements hold commas); items trimmed; "" is the empty list.
export function decodeStringSlice(value: unknown, field: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : [value];
  if (items.some((item) => typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean')) {
    throw invalidRequest(`Field validation failed: error converting input for field "${field}": expected a string or a list of strings`);
  }
  return items.map((item) => String(item).trim());
}

// A field's new value on a write: the request's when given, else the current one on an update,
// else the default on a create (Vault's GetOk / createOperation pattern).
export function pick<T>(input: JsonObject, field: string, current: T | undefined, decode: (value: unknown, field: string) => T, fallback: T): T {
  if (given(input, field)) return decode(input[field], field);
  return current ?? fallback;
}

// TypeDurationSecond, never negative.
export function decodeSeconds(value: unknown, field: string): number {
  return decodeDurationSeconds(value, field, { signed: false });
}

// TypeString.
export function decodeString(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidRequest(`Field validation failed: error converting input for field "${field}": expected a string`);
}
