import { describe, expect, it } from 'vitest';
import { wrapText, wrapWithPadding } from '../../../src/cli/format/wrap.js';

describe('wrapText (kr/text minimal raggedness)', () => {
  it('balances lines instead of filling greedily', () => {
    // Greedy filling would give "aaa bb" / "cc" / "ddddd".
    expect(wrapText('aaa bb cc ddddd', 6)).toBe('aaa\nbb cc\nddddd');
  });

  it('keeps a text that fits on one line, turning newlines into spaces', () => {
    expect(wrapText('  one\ntwo  ', 20)).toBe('one two');
  });

  it('lets a word longer than the limit overflow on its own line', () => {
    expect(wrapText('a bbbbbbbbbb c', 4)).toBe('a\nbbbbbbbbbb\nc');
  });
});

describe('wrapWithPadding', () => {
  it('wraps to 78 minus the padding and indents every line', () => {
    const text = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const lines = wrapWithPadding(text, 6).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(line.startsWith('      ')).toBe(true);
      expect(line.length).toBeLessThanOrEqual(78);
    }
    expect(lines.map((line) => line.trim()).join(' ')).toBe(text);
  });
});
