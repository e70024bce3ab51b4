import { quoteGo, type GoParseResult } from './strconv.js';

// Go's time.Duration: ParseDuration and String, over nanoseconds held as a bigint with int64's
// range, so that every duration Vault accepts, refuses or prints reads the same here.

export const nanosPerSecond = 1_000_000_000n;

const maxInt64 = 2n ** 63n - 1n;

// The longest duration in whole seconds (2562047h47m16s), for what counts in seconds.
export const maxDurationSeconds = Number(maxInt64 / nanosPerSecond);

// time.ParseDuration's units, in nanoseconds. Both micro signs are accepted, as in Go.
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

// time.ParseDuration: `1h30m`, `500ms`, `-1.5s`, `0` → nanoseconds, or Go's error text
// (including "invalid duration" for anything past int64, as Go refuses overflow).
export function parseGoDuration(text: string): GoParseResult<bigint> {
  const invalid = { ok: false, error: `time: invalid duration ${quoteGo(text)}` } as const;
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, value: 0n };
  if (rest === '') return invalid;
  let total = 0n;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2] ?? '';
    if (whole === '' && fraction === '') return invalid;
    rest = rest.slice(number?.[0].length ?? 0);
    const unit = /^[^\d.]*/.exec(rest)?.[0] ?? '';
    rest = rest.slice(unit.length);
    if (unit === '') return { ok: false, error: `time: missing unit in duration ${quoteGo(text)}` };
    const scale = unitNanos[unit];
    if (scale === undefined) return { ok: false, error: `time: unknown unit ${quoteGo(unit)} in duration ${quoteGo(text)}` };
    total += BigInt(whole === '' ? '0' : whole) * scale;
    if (fraction !== '') total += (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
    // Go accepts exactly 2^63 only for a negative duration (the smallest int64).
    if (total > maxInt64 + (negative ? 1n : 0n)) return invalid;
  }
  return { ok: true, value: negative ? -total : total };
}

// Seconds (possibly fractional) as nanoseconds, rounded to the nearest nanosecond.
export function secondsToNanos(seconds: number): bigint {
  const whole = Math.trunc(seconds);
  return BigInt(whole) * nanosPerSecond + BigInt(Math.round((seconds - whole) * 1e9));
}

// Nanoseconds as seconds (fractional when there are sub-second parts).
export function nanosToSeconds(nanos: bigint): number {
  return Number(nanos / nanosPerSecond) + Number(nanos % nanosPerSecond) / 1e9;
}

// time.Duration.String for a count of nanoseconds (int64 semantics): `0s`, `1.5s`, `1m30s`,
// `1h0m0s`, `-1s`, `500ms`.
export function renderGoDuration(nanoseconds: bigint): string {
  const value = BigInt.asIntN(64, nanoseconds);
  if (value === 0n) return '0s';
  const negative = value < 0n;
  // Go negates in uint64, so the smallest int64 keeps its magnitude 2^63.
  const u = negative ? BigInt.asUintN(64, -value) : value;
  let out: string;
  if (u < nanosPerSecond) {
    const [unit, scale] = u < 1000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1000n] : ['ms', 1_000_000n];
    out = `${withFraction(u, scale)}${unit}`;
  } else {
    const seconds = u / nanosPerSecond;
    const secondsText = `${withFraction((seconds % 60n) * nanosPerSecond + (u % nanosPerSecond), nanosPerSecond)}s`;
    const minutes = seconds / 60n;
    if (minutes === 0n) out = secondsText;
    else {
      const hours = minutes / 60n;
      out = `${hours > 0n ? `${hours}h` : ''}${minutes % 60n}m${secondsText}`;
    }
  }
  return negative ? `-${out}` : out;
}

// `value / scale` printed with the fraction's trailing zeros (and a bare point) removed.
function withFraction(value: bigint, scale: bigint): string {
  const whole = value / scale;
  const fraction = value % scale;
  if (fraction === 0n) return `${whole}`;
  const digits = scale.toString().length - 1;
  return `${whole}.${fraction.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}
