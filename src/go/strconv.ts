// Go's strconv parsing, so that what Vault and its CLI accept (and the error text they print)
// carries over: `-version=0x10`, `-cas=1_000`, `-detailed=T`, `"true"` in a request field.

// Result of a Go-style parse: a value, or Go's error text.
export type GoParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

// The spellings strconv.ParseBool accepts.
export const goTrueWords: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
export const goFalseWords: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

// strconv.ParseBool.
export function parseGoBool(text: string): GoParseResult<boolean> {
  if (goTrueWords.has(text)) return { ok: true, value: true };
  if (goFalseWords.has(text)) return { ok: true, value: false };
  return { ok: false, error: `strconv.ParseBool: parsing ${quoteGo(text)}: invalid syntax` };
}

const digitsFor = { 2: '[01]', 8: '[0-7]', 10: '[0-9]', 16: '[0-9a-fA-F]' } as const;

// strconv.ParseInt(text, 0, 64): optional sign, 0x/0o/0b or a leading 0 (octal) prefix,
// underscores only between digits. The value must fit in an int64.
export function parseGoInt(text: string): GoParseResult<number> {
  const syntax = { ok: false, error: `strconv.ParseInt: parsing ${quoteGo(text)}: invalid syntax` } as const;
  const sign = text.startsWith('-') ? -1n : 1n;
  let body = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  let base: 2 | 8 | 10 | 16 = 10;
  let prefixed = false;
  const prefix = body.slice(0, 2).toLowerCase();
  if (prefix === '0x' || prefix === '0o' || prefix === '0b') {
    base = prefix === '0x' ? 16 : prefix === '0o' ? 8 : 2;
    prefixed = true;
    body = body.slice(2);
  } else if (body.length > 1 && body.startsWith('0')) {
    base = 8;
  }
  const digit = digitsFor[base];
  // A base prefix counts as a digit, so `0x_1F` is fine but `_1` and `1__0` are not.
  const shape = prefixed ? `^(?:_?${digit})+$` : `^${digit}(?:_?${digit})*$`;
  if (!new RegExp(shape).test(body)) return syntax;
  const radix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base];
  const value = sign * BigInt(radix + body.replaceAll('_', ''));
  if (value < -(2n ** 63n) || value > 2n ** 63n - 1n) {
    return { ok: false, error: `strconv.ParseInt: parsing ${quoteGo(text)}: value out of range` };
  }
  return { ok: true, value: Number(value) };
}

// Go's %q of a string, for texts echoed in error messages (JSON escaping is close enough and
// identical for printable ASCII).
export function quoteGo(text: string): string {
  return JSON.stringify(text);
}
