import { hopeDelim, renderTable } from './columns.js';
import { humanizeSeconds, looksLikeDuration } from './duration-fields.js';
import { sortedGoKeys } from '../../go/string-order.js';
import { renderGoValue } from '../../go/value.js';

// Vault's TableFormatter.OutputMap: a `Key`/`Value` table of a map, rows sorted by key, values
// in Go `%v`, duration-like keys humanised. An empty map renders as '' (Vault prints nothing).
// The result has no trailing newline; the caller prints it as one line.
export function renderKeyValueTable(data: Readonly<Record<string, unknown>>): string {
  const keys = sortedGoKeys(data);
  if (keys.length === 0) return '';
  const rows = keys.map((key) => {
    const raw = data[key];
    const value = looksLikeDuration(key) ? humanizeSeconds(raw) : raw;
    return `${key} ${hopeDelim} ${renderGoValue(value)}`;
  });
  return renderTable([`Key${hopeDelim}Value`, ...rows], { delim: hopeDelim });
}
