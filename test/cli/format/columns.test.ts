import { describe, expect, it } from 'vitest';
import { hopeDelim, renderColumns, renderTable } from '../../../src/cli/format/columns.js';

describe('renderColumns', () => {
  it('pads every column but the last to its widest cell and glues with four spaces', () => {
    expect(renderColumns(['a | bb | c', 'aaa | b | cccc'])).toBe('a      bb    c\naaa    b     cccc');
  });

  it('trims cells and shows empty ones as n/a', () => {
    expect(renderColumns(['  key |   ', 'x|y'])).toBe('key    n/a\nx      y');
  });

  it('does not pad the last cell of a row that has fewer columns', () => {
    expect(renderColumns(['a|b|c', 'long'])).toBe('a       b    c\nlong');
  });

  it('measures width in code points, as Go does', () => {
    expect(renderColumns(['é|x', 'ab|y', '😀|z'])).toBe('é     x\nab    y\n😀     z');
  });

  it('keeps U+FEFF, which Go does not count as space', () => {
    expect(renderColumns(['\ufeff|x'])).toBe('\ufeff    x');
  });

  it('renders nothing for no lines', () => {
    expect(renderColumns([])).toBe('');
  });
});

describe('renderTable', () => {
  it('underlines each header with dashes of its length', () => {
    const lines = [`Key${hopeDelim}Value`, `version ${hopeDelim} 1`];
    expect(renderTable(lines, { delim: hopeDelim })).toBe('Key        Value\n---        -----\nversion    1');
  });

  it('uses | as the default delimiter', () => {
    expect(renderTable(['Path | Type', 'secret/ | kv'])).toBe('Path       Type\n----       ----\nsecret/    kv');
  });
});
