// Layout options mirroring ryanuber/columnize as Vault configures it (command/base_helpers.go:
// glue of 4 spaces, `n/a` for empty cells).
export interface ColumnsOptions {
  /** Cell separator inside each input line. Vault uses `|` or `♨` (hopeDelim). */
  delim?: string;
  glue?: string;
  empty?: string;
}

// Vault's delimiter for Key/Value rows, chosen because it never appears in a secret.
export const hopeDelim = '♨';

// columnize.Format: split each line on `delim`, trim cells, replace empty cells, pad every
// column but a row's last to the widest cell (counted in code points), join with `glue`.
export function renderColumns(lines: readonly string[], options: ColumnsOptions = {}): string {
  if (lines.length === 0) return '';
  const delim = options.delim ?? '|';
  const glue = options.glue ?? '    ';
  const empty = options.empty ?? 'n/a';
  const rows = lines.map((line) =>
    line.split(delim).map((cell) => {
      const trimmed = trimGoSpace(cell);
      return trimmed === '' && empty !== '' ? empty : trimmed;
    }),
  );
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, runeCount(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, index) => {
          if (index === row.length - 1) return cell;
          return cell + ' '.repeat((widths[index] ?? 0) - runeCount(cell)) + glue;
        })
        .join(''),
    )
    .join('\n');
}

// Vault's tableOutput: the first line is the header; an underline row of dashes as long as
// each header cell is inserted below it before laying the lines out in columns.
export function renderTable(lines: readonly string[], options: ColumnsOptions = {}): string {
  const [header, ...rest] = lines;
  if (header === undefined) return '';
  const delim = options.delim ?? '|';
  const underline = header
    .split(delim)
    .map((cell) => '-'.repeat(Buffer.byteLength(trimGoSpace(cell))))
    .join(delim);
  return renderColumns([header, underline, ...rest], options);
}

// strings.TrimSpace uses Go's unicode.IsSpace, which (unlike JavaScript's trim) excludes U+FEFF.
const goSpace = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const leadingSpace = new RegExp(`^${goSpace}+`);
const trailingSpace = new RegExp(`${goSpace}+$`);

function trimGoSpace(text: string): string {
  return text.replace(leadingSpace, '').replace(trailingSpace, '');
}

// Display width as Go's fmt and columnize count it: one per code point.
export function runeCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
