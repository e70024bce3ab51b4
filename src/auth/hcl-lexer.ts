import { policySyntaxError, type Position } from './syntax-tree.js';

// The tokens of the HCL (version 1) subset Vault policies are written in: strings with Go's
// escapes, heredocs (`<<EOF`, `<<-EOF`), numbers, `true`/`false`, identifiers, the punctuation
// of blocks, lists and assignments, and the three comment forms (`#`, `//`, `/* */`).

export type Punctuation = '{' | '}' | '[' | ']' | '=' | ',';

export type TokenBody =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number; text: string }
  | { type: 'bool'; value: boolean }
  | { type: 'ident'; value: string }
  | { type: 'punct'; value: Punctuation }
  | { type: 'comment'; value: string }
  | { type: 'eof' };

export type Token = TokenBody & {
  pos: Position;
  /** The line the token ends on (heredocs and block comments span lines). */
  endLine: number;
  /** Whether a line break separates this token from the previous one (or it starts the text). */
  newlineBefore: boolean;
};

const punctuation = new Set<string>(['{', '}', '[', ']', '=', ',']);
const simpleEscapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"' };
const escapeDigits: Readonly<Record<string, { count: number; pattern: RegExp; radix: number }>> = {
  x: { count: 2, pattern: /^[0-9a-fA-F]{2}$/, radix: 16 },
  u: { count: 4, pattern: /^[0-9a-fA-F]{4}$/, radix: 16 },
  U: { count: 8, pattern: /^[0-9a-fA-F]{8}$/, radix: 16 },
};

// Splits policy text into tokens, ending with one `eof` token; throws the policy parse error
// (with line and column) at the first character that cannot start or continue a token.
export function scanHcl(text: string): Token[] {
  const tokens: Token[] = [];
  let index = text.startsWith('\uFEFF') ? 1 : 0;
  let line = 1;
  let lineStart = index;
  let newlineBefore = true;
  const here = (at = index): Position => ({ line, column: at - lineStart + 1 });
  const push = (body: TokenBody, pos: Position): void => {
    tokens.push({ ...body, pos, endLine: line, newlineBefore } as Token);
    newlineBefore = false;
  };
  // Moves past text[from, to), counting the line breaks in it.
  const advance = (to: number): void => {
    for (let i = index; i < to; i++) {
      if (text[i] === '\n') {
        line++;
        lineStart = i + 1;
        newlineBefore = true;
      }
    }
    index = to;
  };

  while (index < text.length) {
    const char = text[index] as string;
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') {
      advance(index + 1);
      continue;
    }
    const pos = here();
    if (char === '#' || text.startsWith('//', index)) {
      const end = text.indexOf('\n', index);
      const stop = end === -1 ? text.length : end;
      push({ type: 'comment', value: text.slice(index, stop).trimEnd() }, pos);
      index = stop;
    } else if (text.startsWith('/*', index)) {
      const end = text.indexOf('*/', index + 2);
      if (end === -1) throw policySyntaxError(pos, 'comment not terminated', 'Close the comment with */.');
      const value = text.slice(index, end + 2);
      const wasNewline: boolean = newlineBefore;
      advance(end + 2);
      newlineBefore = wasNewline;
      push({ type: 'comment', value }, pos);
    } else if (char === '"') {
      const { value, end } = scanString(text, index, pos);
      push({ type: 'string', value }, pos);
      index = end;
    } else if (text.startsWith('<<', index)) {
      const { value, end } = scanHeredoc(text, index, pos);
      const wasNewline: boolean = newlineBefore;
      advance(end);
      newlineBefore = wasNewline;
      push({ type: 'string', value }, pos);
    } else if (/[0-9]/.test(char) || (char === '-' && /[0-9]/.test(text[index + 1] ?? ''))) {
      const match = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(index)) as RegExpExecArray;
      push({ type: 'number', value: Number(match[0]), text: match[0] }, pos);
      index += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = (/^[A-Za-z_][A-Za-z0-9_.-]*/.exec(text.slice(index)) as RegExpExecArray)[0];
      push(word === 'true' || word === 'false' ? { type: 'bool', value: word === 'true' } : { type: 'ident', value: word }, pos);
      index += word.length;
    } else if (punctuation.has(char)) {
      push({ type: 'punct', value: char as Punctuation }, pos);
      index++;
    } else {
      throw policySyntaxError(pos, `illegal char ${JSON.stringify(char)}`);
    }
  }
  push({ type: 'eof' }, here());
  return tokens;
}

// A double-quoted string from its opening quote: its value and the index after the closing quote.
function scanString(text: string, start: number, pos: Position): { value: string; end: number } {
  let value = '';
  let index = start + 1;
  for (;;) {
    const char = text[index];
    if (char === undefined || char === '\n') throw policySyntaxError(pos, 'literal not terminated', 'Close the string with " on the same line, or use a heredoc (<<EOF) for text over several lines.');
    if (char === '"') return { value, end: index + 1 };
    if (char !== '\\') {
      value += char;
      index++;
      continue;
    }
    const kind = text[index + 1] ?? '';
    const escapePos = { line: pos.line, column: pos.column + (index - start) };
    const simple = simpleEscapes[kind];
    const digits = escapeDigits[kind];
    if (simple !== undefined) {
      value += simple;
      index += 2;
    } else if (digits !== undefined) {
      const hex = text.slice(index + 2, index + 2 + digits.count);
      if (!digits.pattern.test(hex)) throw policySyntaxError(escapePos, `invalid escape sequence "\\${kind}${hex}"`);
      const code = Number.parseInt(hex, digits.radix);
      if (code > 0x10ffff) throw policySyntaxError(escapePos, `escape sequence "\\${kind}${hex}" is not a valid character`);
      value += String.fromCodePoint(code);
      index += 2 + digits.count;
    } else if (/^[0-7]{3}$/.test(text.slice(index + 1, index + 4))) {
      value += String.fromCharCode(Number.parseInt(text.slice(index + 1, index + 4), 8));
      index += 4;
    } else {
      throw policySyntaxError(escapePos, `invalid escape sequence "\\${kind}"`, 'Write a backslash as \\\\ inside a quoted string.');
    }
  }
}

// A heredoc from its `<<`: the text of its lines (each ending in a newline) and the index just
// after the marker that closes it. `<<-` removes the closing marker's indentation from every
// line, as HCL does, when every non-blank line carries it.
function scanHeredoc(text: string, start: number, pos: Position): { value: string; end: number } {
  const header = /^<<(-?)([A-Za-z0-9_]+)\r?\n/.exec(text.slice(start));
  if (header === null) throw policySyntaxError(pos, 'heredoc needs a marker and then a line break, as in <<EOF', 'Write <<EOF (or <<-EOF) at the end of a line, the text on the next lines, and EOF alone on the last.');
  const indented = header[1] === '-';
  const marker = header[2] as string;
  const lines: string[] = [];
  let index = start + header[0].length;
  while (index <= text.length) {
    const newline = text.indexOf('\n', index);
    const stop = newline === -1 ? text.length : newline;
    const lineText = text.slice(index, stop).replace(/\r$/, '');
    if (lineText.trim() === marker) {
      const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
      const strip = indented && lines.every((content) => content.trim() === '' || content.startsWith(indent));
      const body = lines.map((content) => `${strip ? content.slice(Math.min(indent.length, content.length)) : content}\n`).join('');
      return { value: body, end: stop };
    }
    lines.push(lineText);
    if (newline === -1) break;
    index = newline + 1;
  }
  throw policySyntaxError(pos, `heredoc not terminated: no line holds only ${marker}`, `End the heredoc with a line holding only ${marker}.`);
}
