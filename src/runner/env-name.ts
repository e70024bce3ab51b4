const validName = /^[A-Za-z_][A-Za-z0-9_]*$/;

// The variable name for an expanded field: prefix + field upper-cased, every character
// outside [A-Z0-9_] replaced by `_` (`api-key.v2` → `API_KEY_V2`). Pure.
export function normalizeEnvName(prefix: string, field: string): string {
  return prefix + field.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

// Is this a name a POSIX-ish shell accepts as a variable?
export function isValidEnvName(name: string): boolean {
  return validName.test(name);
}
