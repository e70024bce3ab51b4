// Vault's table output shows duration-like fields (`ttl`, `*_period`, ...) given in seconds as
// Go durations without zero units (`768h`, `1h30m`), via Go's time.Duration.String.

const second = 1_000_000_000n;

// Is this key one whose integer value Vault prints as a duration (command/format.go rules)?
export function looksLikeDuration(key: string): boolean {
  return (
    key === 'period' ||
    key.endsWith('_period') ||
    key === 'ttl' ||
    key.endsWith('_ttl') ||
    key === 'duration' ||
    key.endsWith('_duration') ||
    key === 'lease_max' ||
    key === 'ttl_max'
  );
}

// Go's time.Duration.String for a count of nanoseconds (int64 semantics).
export function renderGoDuration(nanoseconds: bigint): string {
  const value = BigInt.asIntN(64, nanoseconds);
  if (value === 0n) return '0s';
  const negative = value < 0n;
  // Go negates in uint64, so the smallest int64 keeps its magnitude 2^63.
  const u = negative ? BigInt.asUintN(64, -value) : value;
  let out: string;
  if (u < second) {
    const [unit, scale] = u < 1000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1000n] : ['ms', 1_000_000n];
    out = `${formatWithFraction(u, scale)}${unit}`;
  } else {
    const seconds = u / second;
    const secondsText = `${formatWithFraction((seconds % 60n) * second + (u % second), second)}s`;
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
function formatWithFraction(value: bigint, scale: bigint): string {
  const whole = value / scale;
  const fraction = value % scale;
  if (fraction === 0n) return `${whole}`;
  const digits = scale.toString().length - 1;
  const text = fraction.toString().padStart(digits, '0').replace(/0+$/, '');
  return `${whole}.${text}`;
}

// Vault's humanDuration: Duration.String with `m0s` and `h0m` dropped (`1h0m0s` → `1h`).
export function renderHumanDuration(nanoseconds: bigint): string {
  let text = renderGoDuration(nanoseconds);
  if (text === '0s') return text;
  if (text.endsWith('m0s')) text = text.slice(0, -2);
  const index = text.indexOf('h0m');
  if (index > 0) text = text.slice(0, index + 1) + text.slice(index + 3);
  return text;
}

// Vault's humanDurationInt: an integer number of seconds becomes a human duration; anything
// else (strings, fractions, null) is returned unchanged, as Vault only converts integers.
export function humanizeSeconds(value: unknown): unknown {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return value;
  return renderHumanDuration(BigInt(value) * second);
}
