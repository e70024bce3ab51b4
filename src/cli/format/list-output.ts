import { SecretrunError } from '../../errors.js';
import { hopeDelim, renderTable } from './columns.js';
import { compareGoStrings } from '../../go/string-order.js';
import { renderGoValue } from '../../go/value.js';

// Vault's TableFormatter.OutputList for `kv list` and friends: a `Keys` column, underlined,
// keys sorted. An empty list renders as '' (the command reports "No value found" itself).
export function renderKeyList(keys: readonly unknown[]): string {
  if (keys.length === 0) return '';
  const names = keys.map((key) => {
    if (typeof key !== 'string') {
      throw new SecretrunError('internal', `${renderGoValue(key)} is not a string`);
    }
    return key;
  });
  names.sort(compareGoStrings);
  return renderTable(['Keys', ...names], { delim: hopeDelim });
}
