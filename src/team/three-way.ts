import type { JsonObject, JsonValue } from '../json.js';
import { jsonEqual } from './json-equal.js';

// Three-way merges of one value and of an object's fields: a side that left a value as it was
// in the base gives way to the side that changed it; two sides that made the same change agree;
// two different changes conflict. Absence (undefined) is a value like any other. Pure.

// The merged value, or a conflict (the caller decides what to keep and how to say it).
export type ValueMerge<T> = { ok: true; value: T | undefined } | { ok: false };

// Merges one value.
export function mergeValue<T extends JsonValue>(base: T | undefined, ours: T | undefined, theirs: T | undefined): ValueMerge<T> {
  if (jsonEqual(ours, theirs)) return { ok: true, value: ours };
  if (jsonEqual(ours, base)) return { ok: true, value: theirs };
  if (jsonEqual(theirs, base)) return { ok: true, value: ours };
  return { ok: false };
}

// An object merged field by field, and the fields both sides changed differently (where the
// merged object holds ours).
export interface FieldsMerge {
  value: JsonObject;
  conflicts: string[];
}

// Merges objects field by field (a missing object is one with no fields).
export function mergeFields(base: JsonObject | undefined, ours: JsonObject | undefined, theirs: JsonObject | undefined): FieldsMerge {
  const fields = new Set([...Object.keys(base ?? {}), ...Object.keys(ours ?? {}), ...Object.keys(theirs ?? {})]);
  const value: JsonObject = {};
  const conflicts: string[] = [];
  for (const field of fields) {
    const merged = mergeValue(base?.[field], ours?.[field], theirs?.[field]);
    const chosen = merged.ok ? merged.value : ours?.[field];
    if (!merged.ok) conflicts.push(field);
    if (chosen !== undefined) value[field] = chosen;
  }
  return { value, conflicts: conflicts.sort() };
}
