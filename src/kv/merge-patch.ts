import type { JsonValue } from '../json.js';
import { isJsonObject } from '../json.js';

// Applies an RFC 7396 JSON merge patch: objects merge recursively, `null` removes a member,
// anything else (arrays, scalars) replaces. Returns a new value; neither input is modified.
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const result: { [key: string]: JsonValue } = isJsonObject(target) ? structuredClone(target) : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    // Defined, not assigned: assigning `__proto__` would set the prototype instead of a member.
    else Object.defineProperty(result, name, { value: applyMergePatch(Object.hasOwn(result, name) ? result[name] : undefined, value), enumerable: true, writable: true, configurable: true });
  }
  return result;
}
