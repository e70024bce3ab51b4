import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from '../json.js';
import type { Permissions } from './acl-permissions.js';

// Parameter constraints of the governing rule checked against a request's data, in acl.go's
// order: required parameters first, then — when there is data at all — denied parameters
// (`"*"` denies any), then allowed parameters (anything not listed is refused unless `"*"` is).
// Values match as Vault matches them: strings by `*` prefix/suffix globs, a list when every
// element (allowed) or any element (denied) matches, and a string also as the comma-separated
// list an endpoint may read it as ("baz/quux,wibble" is checked as both).

export type ParameterRefusal = 'required_parameter' | 'denied_parameter' | 'allowed_parameter';

// Why the data breaks the constraints, or undefined when it keeps them.
export function checkParameters(permissions: Permissions, data: Readonly<Record<string, unknown>> | undefined): ParameterRefusal | undefined {
  for (const name of permissions.required) {
    // Vault lower-cases the required name, not the request's keys.
    if (data === undefined || !Object.hasOwn(data, name.toLowerCase())) return 'required_parameter';
  }
  if (data === undefined) return undefined;
  const entries = Object.entries(data);
  if (entries.length === 0) return undefined;
  const denied = permissions.denied;
  if (denied !== undefined) {
    if (denied.has('*')) return 'denied_parameter';
    for (const [name, value] of entries) {
      const values = denied.get(name.toLowerCase());
      if (values !== undefined && valueDenied(value, values)) return 'denied_parameter';
    }
  }
  const allowed = permissions.allowed;
  if (allowed === undefined) return undefined;
  const allowedAll = allowed.has('*');
  if (allowedAll && allowed.size === 1) return undefined;
  for (const [name, value] of entries) {
    const values = allowed.get(name.toLowerCase());
    if (values === undefined ? !allowedAll : !valueAllowed(value, values)) return 'allowed_parameter';
  }
  return undefined;
}

function valueAllowed(value: unknown, list: JsonValue[]): boolean {
  if (list.length === 0 || inList(value, list)) return true;
  if (Array.isArray(value)) return value.every((element) => inList(element, list));
  if (typeof value === 'string') return splitCommaList(value).every((element) => inList(element, list));
  return false;
}

function valueDenied(value: unknown, list: JsonValue[]): boolean {
  if (list.length === 0 || inList(value, list)) return true;
  if (Array.isArray(value)) return value.some((element) => inList(element, list));
  if (typeof value === 'string') return splitCommaList(value).some((element) => inList(element, list));
  return false;
}

// parseutil.ParseCommaStringSlice: "" is the empty list, otherwise the trimmed comma parts.
function splitCommaList(text: string): string[] {
  return text === '' ? [] : text.split(',').map((part) => part.trim());
}

// A value matches a policy value: strings by glob, anything else by deep equality (a number in
// the policy matches the same number in the request; see docs/security.md).
function inList(value: unknown, list: JsonValue[]): boolean {
  return list.some((element) => {
    if (element === null || value === null || value === undefined) return element === value;
    if (typeof element === 'string') return typeof value === 'string' && matchGlob(element, value);
    return isDeepStrictEqual(element, value);
  });
}

// strutil.GlobbedStringsMatch: a leading and/or trailing `*` (never alone) makes a suffix,
// prefix or substring match; anything else is compared exactly.
export function matchGlob(pattern: string, value: string): boolean {
  if (pattern.length < 2) return pattern === value;
  const leading = pattern.startsWith('*');
  const trailing = pattern.endsWith('*');
  if (leading && trailing) return value.includes(pattern.slice(1, -1));
  if (leading) return value.endsWith(pattern.slice(1));
  if (trailing) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}
