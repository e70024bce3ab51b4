import { SecretrunError } from '../errors.js';

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const wholePattern = /^(0|(\d+(\.\d+)?(ms|s|m|h))+)$/;
const termPattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

// Parses a Go-style duration (`100ms`, `5s`, `1m30s`, `0`) into milliseconds; undefined if malformed.
export function tryParseDuration(text: string): number | undefined {
  if (!wholePattern.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(termPattern)) {
    total += Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  }
  return Math.round(total);
}

// Parses a duration given by a user (flag or manifest), or throws 'input' naming the option.
export function parseDuration(text: string, option: string): number {
  const ms = tryParseDuration(text);
  if (ms !== undefined) return ms;
  throw new SecretrunError('input', `invalid duration for ${option}: '${text}' (expected e.g. 100ms, 5s, 1m30s or 0)`);
}
