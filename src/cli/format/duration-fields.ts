import { nanosPerSecond, renderGoDuration } from '../../go/duration.js';

// Vault's table output shows duration-like fields (`ttl`, `*_period`, ...) given in seconds as
// Go durations without zero units (`768h`, `1h30m`), via Go's time.Duration.String.

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
  return renderHumanDuration(BigInt(value) * nanosPerSecond);
}
