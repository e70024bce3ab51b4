import { SecretrunError } from '../errors.js';
import { nanosToSeconds, parseGoDuration } from '../go/duration.js';

// The CLI's reading of a duration flag such as `-delete-version-after=1h`: numeric seconds or Go
// syntax; fails as a local input error naming the flag.
export function parseDurationFlag(text: string, flag: string): number {
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  const parsed = parseGoDuration(text);
  if (parsed.ok) return nanosToSeconds(parsed.value);
  throw new SecretrunError('input', `invalid value "${text}" for flag -${flag}: ${parsed.error}`, {
    hint: 'Use a number of seconds or a duration such as 30s, 10m or 1h30m.',
  });
}
