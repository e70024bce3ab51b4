import { scanHcl, type Token } from './hcl-lexer.js';
import { policySyntaxError, type SyntaxBody, type SyntaxItem, type SyntaxKey, type SyntaxValue } from './syntax-tree.js';

// The grammar of HCL version 1 as Vault policies use it:
//   body  = { item [","] }
//   item  = key { key } ( "=" value | "{" body "}" )      key = identifier | string
//   value = string | heredoc | number | bool | "[" [ value { "," value } [","] ] "]" | "{" body "}"
// Line breaks are not significant (as in HCL 1). Comments are kept: whole-line comments go to
// the next item, a comment on the line an item ends goes to that item, the rest to the body's end.

interface Cursor {
  tokens: Token[];
  index: number;
  pending: string[];
  last: SyntaxItem | undefined;
}

// Parses HCL text into a syntax tree, or throws the policy parse error naming line and column.
export function parseHcl(text: string): SyntaxBody {
  const cursor: Cursor = { tokens: scanHcl(text), index: 0, pending: [], last: undefined };
  return parseBody(cursor, 'eof');
}

// The next token that is not a comment; comments passed over are attached on the way.
function peek(cursor: Cursor): Token {
  for (;;) {
    const token = cursor.tokens[cursor.index] as Token;
    if (token.type !== 'comment') return token;
    const last = cursor.last;
    if (!token.newlineBefore && last !== undefined && last.trailing === undefined) last.trailing = token.value;
    else cursor.pending.push(token.value);
    cursor.index++;
  }
}

function take(cursor: Cursor): Token {
  const token = peek(cursor);
  cursor.index++;
  return token;
}

function describe(token: Token): string {
  if (token.type === 'eof') return 'the end of the policy';
  if (token.type === 'string') return `the string ${JSON.stringify(token.value)}`;
  if (token.type === 'punct') return `"${token.value}"`;
  return `${token.type === 'ident' ? '' : `${token.type} `}${JSON.stringify(token.type === 'number' ? token.text : String(token.value))}`;
}

function unexpected(token: Token, expected: string): never {
  throw policySyntaxError(token.pos, `expected ${expected}, found ${describe(token)}`);
}

function parseBody(cursor: Cursor, end: '}' | 'eof'): SyntaxBody {
  const items: SyntaxItem[] = [];
  for (;;) {
    const token = peek(cursor);
    if (end === 'eof' ? token.type === 'eof' : token.type === 'punct' && token.value === '}') break;
    if (token.type === 'eof') unexpected(token, '"}" to close the block');
    items.push(parseItem(cursor));
    const next = peek(cursor);
    if (next.type === 'punct' && next.value === ',') take(cursor);
  }
  cursor.last = undefined;
  return { items, endComments: cursor.pending.splice(0) };
}

function parseItem(cursor: Cursor): SyntaxItem {
  const keys: SyntaxKey[] = [];
  const comments = cursor.pending.splice(0);
  const first = peek(cursor);
  for (;;) {
    const token = peek(cursor);
    if (token.type === 'ident' || token.type === 'string') {
      take(cursor);
      keys.push({ name: token.value, quoted: token.type === 'string', pos: token.pos });
      continue;
    }
    if (keys.length === 0) unexpected(token, 'a key (a name or a quoted string)');
    if (token.type === 'punct' && token.value === '=') {
      if (keys.length > 1) throw policySyntaxError(token.pos, `nested object expected: "{" after ${keys.map((key) => JSON.stringify(key.name)).join(' ')}, found "="`);
      take(cursor);
      return finishItem(cursor, { keys, comments, pos: first.pos, value: parseValue(cursor) });
    }
    if (token.type === 'punct' && token.value === '{') {
      return finishItem(cursor, { keys, comments, pos: first.pos, value: parseObject(cursor) });
    }
    unexpected(token, `"=" or "{" after ${JSON.stringify(keys[keys.length - 1]?.name)}`);
  }
}

// The item just finished takes a comment that follows on its last line (see peek).
function finishItem(cursor: Cursor, item: SyntaxItem): SyntaxItem {
  cursor.last = item;
  return item;
}

function parseObject(cursor: Cursor): SyntaxValue {
  const open = take(cursor);
  cursor.last = undefined;
  const outer = cursor.pending.splice(0);
  const body = parseBody(cursor, '}');
  cursor.pending.unshift(...outer);
  take(cursor);
  return { kind: 'object', body, pos: open.pos };
}

function parseValue(cursor: Cursor): SyntaxValue {
  const token = peek(cursor);
  switch (token.type) {
    case 'string':
      take(cursor);
      return { kind: 'string', value: token.value, pos: token.pos };
    case 'number':
      take(cursor);
      return { kind: 'number', value: token.value, text: token.text, pos: token.pos };
    case 'bool':
      take(cursor);
      return { kind: 'bool', value: token.value, pos: token.pos };
    case 'punct':
      if (token.value === '[') return parseList(cursor);
      if (token.value === '{') return parseObject(cursor);
      break;
    default:
      break;
  }
  return unexpected(token, 'a value (a string, number, boolean, list or object)');
}

function parseList(cursor: Cursor): SyntaxValue {
  const open = take(cursor);
  const before = cursor.pending.length;
  cursor.last = undefined;
  const items: SyntaxValue[] = [];
  for (;;) {
    const token = peek(cursor);
    if (token.type === 'punct' && token.value === ']') break;
    if (token.type === 'eof') unexpected(token, '"]" to close the list opened at ' + `${open.pos.line}:${open.pos.column}`);
    items.push(parseValue(cursor));
    const next = peek(cursor);
    if (next.type === 'punct' && next.value === ',') take(cursor);
    else if (!(next.type === 'punct' && next.value === ']')) unexpected(next, '"," or "]" in the list');
  }
  take(cursor);
  return { kind: 'list', items, pos: open.pos, comments: cursor.pending.splice(before) };
}
