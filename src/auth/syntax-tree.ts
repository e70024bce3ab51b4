import { SecretrunError } from '../errors.js';

// The tree both policy syntaxes (HCL and JSON) parse to, with the position of every node so
// that a policy refused for what it says (an unknown capability, a bad glob) names its line
// and column as precisely as one refused for how it is written.

// 1-based line and column (columns count UTF-16 code units, which equals characters for
// everything but astral symbols).
export interface Position {
  line: number;
  column: number;
}

export type SyntaxValue =
  | { kind: 'string'; value: string; pos: Position }
  | { kind: 'number'; value: number; text: string; pos: Position }
  | { kind: 'bool'; value: boolean; pos: Position }
  | { kind: 'list'; items: SyntaxValue[]; pos: Position; comments: string[] }
  | { kind: 'object'; body: SyntaxBody; pos: Position };

// One key as written: `path`, `"secret/*"`.
export interface SyntaxKey {
  name: string;
  quoted: boolean;
  pos: Position;
}

// `keys... = value` or `keys... { body }` (HCL), or `"key": value` (JSON).
export interface SyntaxItem {
  keys: SyntaxKey[];
  value: SyntaxValue;
  pos: Position;
  /** Whole-line comments directly above the item. */
  comments: string[];
  /** A comment on the same line as the item's end. */
  trailing?: string;
}

export interface SyntaxBody {
  items: SyntaxItem[];
  /** Comments after the last item (before `}` or the end of the text). */
  endComments: string[];
}

// Vault's wording for a policy that does not parse, with the position and a way out.
export function policySyntaxError(pos: Position, reason: string, hint?: string): SecretrunError {
  return new SecretrunError('invalid_request', `failed to parse policy: At ${pos.line}:${pos.column}: ${reason}`, {
    hint: hint ?? 'A policy is a list of path "<pattern>" { capabilities = ["read", ...] } blocks (or the JSON form {"path": {...}}).',
  });
}

// Every comment inside a value (lists and nested objects), in order: `policy fmt` hoists them
// above the key that holds the value rather than losing them.
export function collectComments(value: SyntaxValue): string[] {
  if (value.kind === 'list') return [...value.comments, ...value.items.flatMap(collectComments)];
  if (value.kind !== 'object') return [];
  return [
    ...value.body.items.flatMap((item) => [...item.comments, ...collectComments(item.value), ...(item.trailing === undefined ? [] : [item.trailing])]),
    ...value.body.endComments,
  ];
}

// A short name of a value's kind for error messages.
export function describeValue(value: SyntaxValue): string {
  return { string: 'a string', number: 'a number', bool: 'a boolean', list: 'a list', object: 'an object' }[value.kind];
}
