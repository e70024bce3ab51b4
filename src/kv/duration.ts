import { SecretrunError } from '../errors.js';
import { fieldValidationError } from './field-decode.js';

// Go's time.ParseDuration units, in nanoseconds. Both micro signs are accepted, as in Go.
const unitNanos: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const nanosPerSecond = 1_000_000_000n;

// Parses Go duration syntax (`1h30m`, `500ms`, `-1.5s`, `0`) into nanoseconds. Throws a plain
// Error carrying Go's own message text so callers can wrap it in their context.
function parseGoNanos(text: string): bigint {
  const quoted = `"${text}"`;
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw new Error(`time: invalid duration ${quoted}`);
  let total = 0n;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) throw new Error(`time: invalid duration ${quoted}`);
    rest = rest.slice(number?.[0].length ?? 0);
    const unitMatch = /^[^\d.]*/.exec(rest);
    const unit = unitMatch?.[0] ?? '';
    rest = rest.slice(unit.length);
    if (unit === '') throw new Error(`time: missing unit in duration ${quoted}`);
    const scale = unitNanos[unit];
    if (scale === undefined) throw new Error(`time: unknown unit "${unit}" in duration ${quoted}`);
    total += BigInt(whole === '' ? '0' : whole) * scale;
    if (fraction !== undefined && fraction !== '') {
      total += (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
    }
  }
  return negative ? -total : total;
}

// Parses a Go duration string into seconds (fractional when the text has sub-second parts).
export function parseGoDuration(text: string): number {
  const nanos = parseGoNanos(text);
  return Number(nanos / nanosPerSecond) + Number(nanos % nanosPerSecond) / 1e9;
}

// Reads a duration the way Vault's `TypeDurationSecond` fields do (parseutil.ParseDurationSecond):
// integer seconds as a number or numeric string, `<n>d` days, or Go syntax; whole seconds result.
// `signed: false` rejects negatives like Vault's unsigned duration fields.
export function parseDurationSeconds(value: unknown, field: string, { signed = true } = {}): number {
  let seconds: number;
  try {
    seconds = durationSecondsOf(value);
  } catch (error) {
    throw fieldValidationError(field, value, (error as Error).message);
  }
  if (!signed && seconds < 0) throw fieldValidationError(field, value, 'cannot provide negative value');
  return seconds;
}

function durationSecondsOf(value: unknown): number {
  if (value === undefined || value === null) return 0;
  // Vault decodes JSON numbers as json.Number, i.e. text, so 1.5 fails exactly like "1.5".
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') throw new Error('could not parse duration from input');
  if (text === '') return 0;
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  if (text.endsWith('d')) {
    const days = text.slice(0, -1);
    if (!/^[+-]?\d+$/.test(days)) throw new Error(`strconv.ParseInt: parsing "${days}": invalid syntax`);
    return Number(days) * 86_400;
  }
  // Whole seconds, truncated toward zero, as Vault stores `int(dur.Seconds())`.
  return Number(parseGoNanos(text) / nanosPerSecond);
}

// The CLI's reading of a duration flag such as `-delete-version-after=1h`: numeric seconds or Go
// syntax; fails as a local input error naming the flag.
export function parseDurationFlag(text: string, flag: string): number {
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  try {
    return parseGoDuration(text);
  } catch (error) {
    throw new SecretrunError('input', `invalid value "${text}" for flag -${flag}: ${(error as Error).message}`, {
      hint: 'Use a number of seconds or a duration such as 30s, 10m or 1h30m.',
    });
  }
}

// Writes `digits` fractional digits of `value` trimmed of trailing zeros (Go's fmtFrac).
function fraction(value: bigint, digits: number): [string, bigint] {
  let text = '';
  let printing = false;
  let rest = value;
  for (let i = 0; i < digits; i++) {
    const digit = rest % 10n;
    printing ||= digit !== 0n;
    if (printing) text = `${digit}${text}`;
    rest /= 10n;
  }
  return [printing ? `.${text}` : '', rest];
}

// Formats seconds exactly like Go's time.Duration.String(): `0s`, `1.5s`, `1m30s`, `1h0m0s`, `-1s`.
export function formatGoDuration(seconds: number): string {
  const whole = Math.trunc(seconds);
  const nanos = BigInt(whole) * nanosPerSecond + BigInt(Math.round((seconds - whole) * 1e9));
  if (nanos === 0n) return '0s';
  const sign = nanos < 0n ? '-' : '';
  let u = nanos < 0n ? -nanos : nanos;
  if (u < nanosPerSecond) {
    if (u < 1_000n) return `${sign}${u}ns`;
    if (u < 1_000_000n) {
      const [frac, rest] = fraction(u, 3);
      return `${sign}${rest}${frac}µs`;
    }
    const [frac, rest] = fraction(u, 6);
    return `${sign}${rest}${frac}ms`;
  }
  const [frac, rest] = fraction(u, 9);
  u = rest;
  let text = `${u % 60n}${frac}s`;
  u /= 60n;
  if (u > 0n) {
    text = `${u % 60n}m${text}`;
    u /= 60n;
    if (u > 0n) text = `${u}h${text}`;
  }
  return `${sign}${text}`;
}
