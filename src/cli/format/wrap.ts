import { runeCount } from './columns.js';

// Vault wraps help text and warnings at this width (command/base.go maxLineLength).
export const maxLineLength = 78;

// Too-long lines cost this much extra, so a line is only overfull when a word is longer than
// the limit (kr/text's default penalty).
const overfullPenalty = 100_000;

// kr/text Wrap: words (split on single spaces after newlines become spaces) laid out with
// minimal raggedness rather than greedily, so Vault's wrapped output is reproduced exactly.
export function wrapText(text: string, limit: number): string {
  const words = text.trim().replaceAll('\n', ' ').split(' ');
  const count = words.length;
  const widths = words.map(runeCount);
  const cost = new Array<number>(count).fill(Number.MAX_SAFE_INTEGER);
  const nextBreak = new Array<number>(count).fill(count);
  for (let i = count - 1; i >= 0; i -= 1) {
    let length = widths[i] ?? 0;
    let total = length;
    for (let j = i + 1; j < count; j += 1) total += 1 + (widths[j] ?? 0);
    if (total <= limit || i === count - 1) {
      cost[i] = 0;
      nextBreak[i] = count;
      continue;
    }
    // Try breaking before each later word j; `length` is the width of words i..j-1.
    for (let j = i + 1; j < count; j += 1) {
      const gap = limit - length;
      let candidate = gap * gap + (cost[j] ?? 0);
      if (length > limit) candidate += overfullPenalty;
      if (candidate < (cost[i] ?? 0)) {
        cost[i] = candidate;
        nextBreak[i] = j;
      }
      length += 1 + (widths[j] ?? 0);
    }
  }
  const lines: string[] = [];
  for (let i = 0; i < count; i = nextBreak[i] ?? count) lines.push(words.slice(i, nextBreak[i]).join(' '));
  return lines.join('\n');
}

// Vault's wrapAtLengthWithPadding: wrap to 78 - pad columns and indent every line by pad.
export function wrapWithPadding(text: string, pad: number): string {
  const indent = ' '.repeat(pad);
  return wrapText(text, maxLineLength - pad)
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}
