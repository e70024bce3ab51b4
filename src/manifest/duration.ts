import { SecretrunError } from '../errors.js';
import { nanosToSeconds, parseGoDuration } from '../go/duration.js';

// Parses a Go-style duration (`100ms`, `5s`, `1m30s`, `0`) into milliseconds; undefined if
// malformed or negative. The same parser as Vault's duration fields, so both read alike.
export function tryParseDuration(text: string): number | undefined {
  const parsed = parseGoDuration(text);
  return parsed.ok && parsed.value >= 0n ? Math.round(Number(parsed.value) / 1e6) : undefined;
}

// Parses a duration given by a user (flag or manifest), or throws 'input' naming the option.
export function parseDuration(text: string, option: string): number {
  const ms = tryParseDuration(text);
  if (ms !== undefined) return ms;
  throw new SecretrunError('input', `invalid duration for ${option}: '${text}' (expected e.g. 100ms, 5s, 1m30s or 0)`);
}
