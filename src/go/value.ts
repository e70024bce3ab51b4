import { isJsonObject } from '../json.js';
import { sortedGoKeys } from './string-order.js';

// Go's `%v` of a JSON-decoded value, as Vault prints it in table output and echoes bad input in
// "Field validation failed" messages: `<nil>` for null, `true`/`false`, numbers as their JSON
// text (Vault decodes with json.Number, so a number is printed as it was sent: `2.5`,
// `1e+21`), strings bare, arrays `[a b]`, maps `map[k:v k2:v2]` with keys in Go order.
export function renderGoValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return renderJsonNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(renderGoValue).join(' ')}]`;
  if (isJsonObject(value)) {
    const entries = sortedGoKeys(value).map((key) => `${key}:${renderGoValue(value[key])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}

// A finite number as JSON writes it; non-finite numbers cannot come from JSON, so they are
// shown as Go would print such a float64.
export function renderJsonNumber(value: number): string {
  if (Number.isFinite(value)) return JSON.stringify(value);
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}
