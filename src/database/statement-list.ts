import { formatGoTime } from '../go/time-format.js';
import type { DatabaseKind } from './plugin-catalog.js';
import { splitSql } from './sql-split.js';

// A role's statements (creation, revocation, renew, rollback, rotation) become the queries a
// plugin runs: each entry may be SQL separated by semicolons, the same base64-encoded, a JSON
// array of strings, or that base64-encoded (Vault's strutil.ParseArbitraryStringSlice); then the
// placeholders {{name}}, {{username}}, {{password}} and {{expiration}} are filled in
// (dbutil.QueryHelper: plain text replacement, after splitting, so a value never splits a query).

// Go's base64.StdEncoding.DecodeString: padded standard alphabet; CR and LF are ignored.
function decodeStrictBase64(text: string): string | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact === '' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  // Text that happens to be valid base64 (a lone `ROLLBACK`) decodes to bytes that are not
  // UTF-8; Vault would run those bytes, here the text stays SQL.
  const decoded = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoded.decode(bytes);
  } catch {
    return undefined;
  }
}

function parseJsonStrings(text: string): string[] | undefined {
  if (!text.startsWith('[') && text !== 'null') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value === null) return [];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  } catch {
    return undefined;
  }
  return undefined;
}

// The last lists parsed, by kind and text: a role's statements are parsed on every credentials
// read (twice: checked, then run), and parsing tries base64 and JSON before splitting the SQL.
const parsed = new Map<string, readonly string[]>();
const maxParsed = 64;

// The queries of one list of statements, in order, ready for placeholders.
export function parseStatements(statements: readonly string[], kind: DatabaseKind): readonly string[] {
  const key = `${kind} ${JSON.stringify(statements)}`;
  let queries = parsed.get(key);
  if (queries === undefined) {
    // Frozen: every caller of these texts gets this one array.
    queries = Object.freeze(splitStatements(statements, kind));
    if (parsed.size >= maxParsed) parsed.delete(parsed.keys().next().value as string);
    parsed.set(key, queries);
  }
  return queries;
}

function splitStatements(statements: readonly string[], kind: DatabaseKind): readonly string[] {
  const queries: string[] = [];
  for (const entry of statements) {
    let text = entry.trim();
    if (text === '') continue;
    text = decodeStrictBase64(text) ?? text;
    const list = parseJsonStrings(text);
    if (list !== undefined) {
      // A JSON array's items are statements already; each may still hold several.
      for (const item of list) queries.push(...splitSql(item, kind));
    } else {
      queries.push(...splitSql(text, kind));
    }
  }
  return queries;
}

// The values a query's placeholders take; a missing one leaves its placeholder as written.
export type PlaceholderValues = Readonly<Partial<Record<'name' | 'username' | 'password' | 'expiration', string>>>;

// One query with its placeholders filled in.
export function renderQuery(query: string, values: PlaceholderValues): string {
  let out = query;
  // A function replacer: a value is inserted as is, even one holding `$&` or `$'`.
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out = out.replaceAll(`{{${key}}}`, () => value);
  return out;
}

// What a value filled into a batch may hold: nothing that could end a quoted literal or
// identifier (' " ` \\), end a statement (;), open a comment (# /* and, once the line is
// ended, --) or a dollar quote ($). Our generated names, passwords and expirations fit; a value
// that does not (a display name with a quote, a SCRAM verifier) sends its queries one by one.
const batchSafeValue = /^[\w .:@+=-]*$/;

// An operation's queries as one text, and where each query ends in it.
export interface TransactionText {
  text: string;
  ends: number[];
}

// A query whose last line may hold a line comment (`--`, MySQL's `#`) ends that line before
// its `;`, which the comment would hide; the others do not, so that MySQL's `at line N` in an
// error counts the failing query's own lines, as when it is sent alone.
function separatorAfter(query: string): string {
  return /--|#/.test(query.slice(query.lastIndexOf('\n') + 1)) ? '\n;' : ';';
}

// An operation's queries as one transaction to send in a single round trip (`BEGIN; …;
// COMMIT`), or undefined when a value could reach beyond its own query. Sent one by one, the
// same queries cost a round trip each plus two for BEGIN and COMMIT (bench/database-server.mjs).
export function buildTransactionText(queries: readonly string[], values: PlaceholderValues): TransactionText | undefined {
  for (const value of Object.values(values)) if (value !== undefined && !batchSafeValue.test(value)) return undefined;
  let text = '';
  const ends: number[] = [];
  for (const query of ['BEGIN', ...queries.map((item) => renderQuery(item, values))]) {
    text += query;
    ends.push(text.length);
    text += separatorAfter(query);
  }
  text += 'COMMIT';
  ends.push(text.length);
  return { text, ends };
}

// A MySQL syntax error quotes the text from the error on (`near '…' at line N`): from a batch,
// the queries after the failing one too. Cut at the end of the failing query, so the message
// reads as it would for the query sent alone.
export function trimBatchEcho(message: string, batch: TransactionText): string {
  const match = /near '([\s\S]*)' at line (\d+)$/.exec(message);
  if (match === null) return message;
  const near = match[1] ?? '';
  const at = batch.text.indexOf(near);
  const end = batch.ends.find((offset) => offset > at);
  if (at === -1 || end === undefined || at + near.length <= end) return message;
  return `${message.slice(0, match.index)}near '${near.slice(0, end - at)}' at line ${match[2]}`;
}

// {{expiration}} as both Vault plugins write it (Go layout `2006-01-02 15:04:05-0700`), in UTC.
export function renderExpiration(epochMs: number): string {
  return formatGoTime(epochMs, '2006-01-02 15:04:05-0700');
}
