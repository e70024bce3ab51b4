import { policySyntaxError, type Position, type SyntaxBody, type SyntaxItem, type SyntaxValue } from './syntax-tree.js';

// The JSON form of a policy (`{"path": {"secret/*": {"capabilities": ["read"]}}}`), parsed into
// the same positioned tree as HCL so that both forms are validated by one piece of code and
// report errors at the same precision. JSON.parse is not used: it names no line or column.

interface JsonCursor {
  text: string;
  index: number;
  line: number;
  lineStart: number;
}

// Parses a JSON object into a syntax tree, or throws the policy parse error with its position.
export function parseJsonPolicyText(text: string): SyntaxBody {
  const cursor: JsonCursor = { text, index: text.startsWith('\uFEFF') ? 1 : 0, line: 1, lineStart: 0 };
  skipSpace(cursor);
  const value = parseValue(cursor);
  skipSpace(cursor);
  if (cursor.index < text.length) fail(cursor, 'unexpected text after the JSON object');
  if (value.kind !== 'object') throw policySyntaxError(value.pos, `a JSON policy must be an object, found ${value.kind}`);
  return value.body;
}

function here(cursor: JsonCursor): Position {
  return { line: cursor.line, column: cursor.index - cursor.lineStart + 1 };
}

function fail(cursor: JsonCursor, reason: string): never {
  throw policySyntaxError(here(cursor), reason);
}

function skipSpace(cursor: JsonCursor): void {
  for (;;) {
    const char = cursor.text[cursor.index];
    if (char === '\n') {
      cursor.line++;
      cursor.lineStart = cursor.index + 1;
    } else if (char !== ' ' && char !== '\t' && char !== '\r') {
      return;
    }
    cursor.index++;
  }
}

function found(cursor: JsonCursor): string {
  const char = cursor.text[cursor.index];
  return char === undefined ? 'the end of the policy' : JSON.stringify(char);
}

function expect(cursor: JsonCursor, char: string): void {
  skipSpace(cursor);
  if (cursor.text[cursor.index] !== char) fail(cursor, `expected "${char}", found ${found(cursor)}`);
  cursor.index++;
}

function parseValue(cursor: JsonCursor): SyntaxValue {
  skipSpace(cursor);
  const pos = here(cursor);
  const rest = cursor.text.slice(cursor.index, cursor.index + 5);
  const char = cursor.text[cursor.index];
  if (char === '{') return { kind: 'object', body: parseObject(cursor), pos };
  if (char === '[') return parseArray(cursor, pos);
  if (char === '"') return { kind: 'string', value: parseString(cursor), pos };
  if (rest.startsWith('true') || rest.startsWith('false')) {
    const value = rest.startsWith('true');
    cursor.index += value ? 4 : 5;
    return { kind: 'bool', value, pos };
  }
  if (rest.startsWith('null')) fail(cursor, 'null is not a value a policy can hold');
  const number = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(cursor.text.slice(cursor.index));
  if (number !== null) {
    cursor.index += number[0].length;
    return { kind: 'number', value: Number(number[0]), text: number[0], pos };
  }
  return fail(cursor, `expected a JSON value, found ${found(cursor)}`);
}

function parseObject(cursor: JsonCursor): SyntaxBody {
  cursor.index++;
  const items: SyntaxItem[] = [];
  skipSpace(cursor);
  if (cursor.text[cursor.index] === '}') {
    cursor.index++;
    return { items, endComments: [] };
  }
  for (;;) {
    skipSpace(cursor);
    const pos = here(cursor);
    if (cursor.text[cursor.index] !== '"') fail(cursor, `expected a quoted key, found ${found(cursor)}`);
    const name = parseString(cursor);
    expect(cursor, ':');
    items.push({ keys: [{ name, quoted: true, pos }], value: parseValue(cursor), pos, comments: [] });
    skipSpace(cursor);
    const next = cursor.text[cursor.index];
    cursor.index++;
    if (next === '}') return { items, endComments: [] };
    if (next !== ',') {
      cursor.index--;
      fail(cursor, `expected "," or "}" in the object, found ${found(cursor)}`);
    }
  }
}

function parseArray(cursor: JsonCursor, pos: Position): SyntaxValue {
  cursor.index++;
  const items: SyntaxValue[] = [];
  skipSpace(cursor);
  if (cursor.text[cursor.index] === ']') {
    cursor.index++;
    return { kind: 'list', items, pos, comments: [] };
  }
  for (;;) {
    items.push(parseValue(cursor));
    skipSpace(cursor);
    const next = cursor.text[cursor.index];
    cursor.index++;
    if (next === ']') return { kind: 'list', items, pos, comments: [] };
    if (next !== ',') {
      cursor.index--;
      fail(cursor, `expected "," or "]" in the array, found ${found(cursor)}`);
    }
  }
}

const escapes: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function parseString(cursor: JsonCursor): string {
  const start = here(cursor);
  let value = '';
  cursor.index++;
  for (;;) {
    const char = cursor.text[cursor.index];
    if (char === undefined || char === '\n') throw policySyntaxError(start, 'string not terminated');
    cursor.index++;
    if (char === '"') return value;
    if (char < ' ') {
      cursor.index--;
      fail(cursor, 'control character in a string (escape it, e.g. \\n)');
    }
    if (char !== '\\') {
      value += char;
      continue;
    }
    const kind = cursor.text[cursor.index] ?? '';
    const simple = escapes[kind];
    if (simple !== undefined) {
      value += simple;
      cursor.index++;
    } else if (kind === 'u' && /^[0-9a-fA-F]{4}$/.test(cursor.text.slice(cursor.index + 1, cursor.index + 5))) {
      value += String.fromCharCode(Number.parseInt(cursor.text.slice(cursor.index + 1, cursor.index + 5), 16));
      cursor.index += 5;
    } else {
      cursor.index--;
      fail(cursor, `invalid escape sequence "\\${kind}"`);
    }
  }
}
