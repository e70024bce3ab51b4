import type { GoParseResult } from './strconv.js';

// The parsing half of Go's text/template, for the subset Vault's string templates use (username
// templates): text, actions with pipelines `a | f x`, function calls, fields `.Name`,
// parenthesised pipelines, string, raw string, integer and boolean literals, `{{-`/`-}}` trim
// markers and `{{/* comments */}}`. Control actions (if, range, with, define, template, block)
// and variables are refused at parse time rather than half-supported.

// One operand of a command.
export type TemplateOperand =
  | { kind: 'field'; path: readonly string[] } // `.` is an empty path
  | { kind: 'function'; name: string }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'pipeline'; pipeline: TemplatePipeline };

// `f a b`: operands; the first names the function when it is an identifier.
export interface TemplateCommand {
  operands: readonly TemplateOperand[];
  /** The command's source text, for error messages (`at <truncate 0>`). */
  source: string;
  line: number;
  column: number;
}

// `cmd | cmd | cmd`.
export type TemplatePipeline = readonly TemplateCommand[];

// A parsed template: literal text and actions in order.
export type TemplateNode = { kind: 'text'; text: string } | { kind: 'action'; pipeline: TemplatePipeline };

const unsupportedKeywords = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

interface Cursor {
  text: string;
  pos: number;
  name: string;
}

function lineOf(cursor: Cursor, pos: number): number {
  return cursor.text.slice(0, pos).split('\n').length;
}

function columnOf(cursor: Cursor, pos: number): number {
  return pos - cursor.text.lastIndexOf('\n', pos - 1);
}

function fail(cursor: Cursor, message: string): { ok: false; error: string } {
  return { ok: false, error: `template: ${cursor.name}:${lineOf(cursor, cursor.pos)}: ${message}` };
}

const goEscapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };

// An interpreted string literal's body (Go escapes: \n, \t, \", \\, \xHH, \uHHHH, \UHHHHHHHH, octal).
function unquote(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i] ?? '';
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[i + 1] ?? '';
    const simple = goEscapes[next];
    if (simple !== undefined) {
      out += simple;
      i += 1;
      continue;
    }
    const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3}))/.exec(body.slice(i + 1));
    if (!hex) return undefined;
    const code = hex[1] ?? hex[2] ?? hex[3];
    out += code !== undefined ? String.fromCodePoint(parseInt(code, 16)) : String.fromCharCode(parseInt(hex[4] ?? '0', 8));
    i += hex[0].length;
  }
  return out;
}

const skipSpaces = (cursor: Cursor): void => {
  while (/[ \t\r\n]/.test(cursor.text[cursor.pos] ?? '')) cursor.pos += 1;
};

// Does the action end here (`}}` or ` -}}`)?
function atClose(cursor: Cursor): boolean {
  return cursor.text.startsWith('}}', cursor.pos) || cursor.text.startsWith('-}}', cursor.pos);
}

function parseOperand(cursor: Cursor, functions: ReadonlySet<string>): GoParseResult<TemplateOperand> {
  const rest = cursor.text.slice(cursor.pos);
  const field = /^(?:\.[A-Za-z_][A-Za-z0-9_]*)+|^\.(?![A-Za-z_0-9])/.exec(rest);
  if (field) {
    cursor.pos += field[0].length;
    return { ok: true, value: { kind: 'field', path: field[0].split('.').slice(1).filter((part) => part !== '') } };
  }
  if (rest.startsWith('(')) {
    cursor.pos += 1;
    const pipeline = parsePipeline(cursor, functions, ')');
    if (!pipeline.ok) return pipeline;
    cursor.pos += 1;
    return { ok: true, value: { kind: 'pipeline', pipeline: pipeline.value } };
  }
  const quoted = /^"((?:[^"\\\n]|\\.)*)"/.exec(rest);
  if (quoted) {
    const value = unquote(quoted[1] ?? '');
    if (value === undefined) return fail(cursor, `invalid syntax: ${quoted[0]}`);
    cursor.pos += quoted[0].length;
    return { ok: true, value: { kind: 'literal', value } };
  }
  const raw = /^`([^`]*)`/.exec(rest);
  if (raw) {
    cursor.pos += raw[0].length;
    return { ok: true, value: { kind: 'literal', value: raw[1] ?? '' } };
  }
  const number = /^[-+]?(?:0[xX][0-9a-fA-F_]+|\d[\d_]*)(?![\w.])/.exec(rest);
  if (number) {
    cursor.pos += number[0].length;
    const text = number[0].replaceAll('_', '');
    const negative = text.startsWith('-');
    const magnitude = Number(text.replace(/^[-+]/, ''));
    return { ok: true, value: { kind: 'literal', value: negative ? -magnitude : magnitude } };
  }
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
  if (word) {
    const name = word[0];
    cursor.pos += name.length;
    if (name === 'true' || name === 'false') return { ok: true, value: { kind: 'literal', value: name === 'true' } };
    if (unsupportedKeywords.has(name)) return fail(cursor, `unsupported action "${name}": only pipelines of functions and fields are allowed`);
    if (!functions.has(name)) return fail(cursor, `function "${name}" not defined`);
    return { ok: true, value: { kind: 'function', name } };
  }
  if (rest.startsWith('$')) return fail(cursor, 'variables are not supported');
  return fail(cursor, `unexpected ${JSON.stringify(rest.slice(0, 1))} in operand`);
}

function parseCommand(cursor: Cursor, functions: ReadonlySet<string>, close: string): GoParseResult<TemplateCommand> {
  skipSpaces(cursor);
  const start = cursor.pos;
  const operands: TemplateOperand[] = [];
  for (;;) {
    skipSpaces(cursor);
    const here = cursor.text[cursor.pos];
    if (here === undefined) return fail(cursor, 'unclosed action');
    if (close === ')' && atClose(cursor)) return fail(cursor, 'unclosed left paren');
    if (here === '|' || (close === ')' ? here === ')' : atClose(cursor))) break;
    const operand = parseOperand(cursor, functions);
    if (!operand.ok) return operand;
    operands.push(operand.value);
  }
  if (operands.length === 0) return fail(cursor, 'missing value for command');
  return {
    ok: true,
    value: { operands, source: cursor.text.slice(start, cursor.pos).trim(), line: lineOf(cursor, start), column: columnOf(cursor, start) },
  };
}

function parsePipeline(cursor: Cursor, functions: ReadonlySet<string>, close: string): GoParseResult<TemplatePipeline> {
  const commands: TemplateCommand[] = [];
  for (;;) {
    const command = parseCommand(cursor, functions, close);
    if (!command.ok) return command;
    commands.push(command.value);
    skipSpaces(cursor);
    if (cursor.text[cursor.pos] !== '|') return { ok: true, value: commands };
    cursor.pos += 1;
  }
}

// Parses `text` into nodes; `functions` are the names callable in it (Go checks them at parse).
export function parseGoTemplate(text: string, functions: ReadonlySet<string>, name = 'template'): GoParseResult<TemplateNode[]> {
  const cursor: Cursor = { text, pos: 0, name };
  const nodes: TemplateNode[] = [];
  let pending = '';
  while (cursor.pos < text.length) {
    const open = text.indexOf('{{', cursor.pos);
    if (open === -1) {
      pending += text.slice(cursor.pos);
      break;
    }
    pending += text.slice(cursor.pos, open);
    cursor.pos = open + 2;
    // `{{- ` trims the white space before the action.
    if (/^- /.test(text.slice(cursor.pos))) {
      pending = pending.replace(/[ \t\r\n]+$/, '');
      cursor.pos += 1;
    }
    if (pending !== '') nodes.push({ kind: 'text', text: pending });
    pending = '';
    skipSpaces(cursor);
    if (text.startsWith('/*', cursor.pos)) {
      const end = text.indexOf('*/', cursor.pos + 2);
      if (end === -1) return fail(cursor, 'unclosed comment');
      cursor.pos = end + 2;
      skipSpaces(cursor);
      if (!atClose(cursor)) return fail(cursor, 'comment ends before closing delimiter');
    } else {
      const pipeline = parsePipeline(cursor, functions, '}}');
      if (!pipeline.ok) return pipeline;
      nodes.push({ kind: 'action', pipeline: pipeline.value });
    }
    // ` -}}` trims the white space after the action.
    if (text.startsWith('-}}', cursor.pos)) {
      cursor.pos += 3;
      while (/[ \t\r\n]/.test(text[cursor.pos] ?? '')) cursor.pos += 1;
    } else {
      cursor.pos += 2;
    }
  }
  if (pending !== '') nodes.push({ kind: 'text', text: pending });
  return { ok: true, value: nodes };
}
