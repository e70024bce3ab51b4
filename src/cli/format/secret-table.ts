import { sortedGoKeys } from '../../go/string-order.js';
import { quoteGo } from '../../go/strconv.js';
import { renderGoValue } from '../../go/value.js';
import { hopeDelim, renderTable } from './columns.js';
import { humanizeSeconds, looksLikeDuration } from './duration-fields.js';
import type { ApiSecret } from './secret-json.js';

// Vault's TableFormatter.OutputSecret: the lease rows, then the token rows of an `auth` block
// in their fixed order (`token`, `token_accessor`, `token_duration` — `∞` for a token that never
// expires —, `token_renewable`, the policy lists as Go's `%q`, `token_meta_<key>`), then the
// data's keys sorted, durations humanised. '' when there is nothing to show.

// Go's `%q` of a list of strings: `["default" "dev"]`; `[]` for none.
function renderQuotedList(value: unknown): string {
  const items = Array.isArray(value) ? value : [];
  return `[${items.map((item) => quoteGo(String(item))).join(' ')}]`;
}

function leaseRows(secret: ApiSecret): string[] {
  if (secret.lease_duration <= 0) return [];
  const duration = renderGoValue(humanizeSeconds(secret.lease_duration));
  if (secret.lease_id === '') return [`refresh_interval ${hopeDelim} ${duration}`];
  return [`lease_id ${hopeDelim} ${secret.lease_id}`, `lease_duration ${hopeDelim} ${duration}`, `lease_renewable ${hopeDelim} ${String(secret.renewable)}`];
}

function authRows(auth: Readonly<Record<string, unknown>>): string[] {
  const duration = Number(auth['lease_duration'] ?? 0);
  const meta = auth['metadata'];
  const metaRows =
    meta !== null && typeof meta === 'object'
      ? sortedGoKeys(meta).map((key) => `token_meta_${key} ${hopeDelim} ${renderGoValue((meta as Record<string, unknown>)[key])}`)
      : [];
  return [
    `token ${hopeDelim} ${String(auth['client_token'] ?? '')}`,
    `token_accessor ${hopeDelim} ${String(auth['accessor'] ?? '')}`,
    `token_duration ${hopeDelim} ${duration === 0 ? '∞' : renderGoValue(humanizeSeconds(duration))}`,
    `token_renewable ${hopeDelim} ${String(auth['renewable'] === true)}`,
    `token_policies ${hopeDelim} ${renderQuotedList(auth['token_policies'])}`,
    `identity_policies ${hopeDelim} ${renderQuotedList(auth['identity_policies'])}`,
    `policies ${hopeDelim} ${renderQuotedList(auth['policies'])}`,
    ...metaRows,
  ];
}

function dataRows(data: Readonly<Record<string, unknown>>): string[] {
  return sortedGoKeys(data).map((key) => {
    const value = looksLikeDuration(key) ? humanizeSeconds(data[key]) : data[key];
    return `${key} ${hopeDelim} ${renderGoValue(value)}`;
  });
}

// The Key/Value table of a whole secret, without a trailing newline; '' when it has no rows.
export function renderSecretTable(secret: ApiSecret): string {
  const rows = [...leaseRows(secret), ...(secret.auth ? authRows(secret.auth) : []), ...(secret.data ? dataRows(secret.data) : [])];
  if (rows.length === 0) return '';
  return renderTable([`Key${hopeDelim}Value`, ...rows], { delim: hopeDelim });
}
