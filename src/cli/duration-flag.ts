import { SecretrunError } from '../errors.js';
import { maxDurationSeconds, nanosToSeconds, parseGoDuration } from '../go/duration.js';

// The CLI's reading of a duration flag such as `-delete-version-after=1h`: numeric seconds or Go
// syntax; fails as a local input error naming the flag.
export function parseDurationFlag(text: string, flag: string): number {
  const invalid = (reason: string): SecretrunError =>
    new SecretrunError('input', `invalid value "${text}" for flag -${flag}: ${reason}`, {
      hint: 'Use a number of seconds or a duration such as 30s, 10m or 1h30m.',
    });
  if (/^[+-]?\d+$/.test(text)) {
    const seconds = Number(text);
    // Past Go's longest duration, which the server would refuse (or Go silently wrap).
    if (Math.abs(seconds) > maxDurationSeconds) throw invalid(`out of range: at most ${maxDurationSeconds} seconds (2562047h47m16s)`);
    return seconds;
  }
  const parsed = parseGoDuration(text);
  if (parsed.ok) return nanosToSeconds(parsed.value);
  throw invalid(parsed.error);
}
