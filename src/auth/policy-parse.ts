import { parseHcl } from './hcl-syntax.js';
import { parseJsonPolicyText } from './json-syntax.js';
import { normalizePolicyName, type Comments, type PathRule, type Policy } from './policy.js';
import { parseRuleBody } from './policy-rule-parse.js';
import { collectComments, describeValue, policySyntaxError, type SyntaxItem, type SyntaxKey, type SyntaxValue } from './syntax-tree.js';

// Policy text (HCL or its JSON form) → the policy model, as `vault/policy.go` ParseACLPolicy
// reads it. Text whose first non-blank character is `{` is JSON, as HCL's own parser decides.
// Every refusal is a SecretrunError('invalid_request', 'failed to parse policy: At L:C: ...').

// Parses and validates one policy; `name` is normalised as Vault stores it (trimmed, lower case).
export function parsePolicy(name: string, text: string): Policy {
  const json = /^\uFEFF?\s*\{/.test(text);
  const body = json ? parseJsonPolicyText(text) : parseHcl(text);
  const rules: PathRule[] = [];
  for (const item of body.items) {
    const key = item.keys[0] as SyntaxKey;
    if (key.name === 'name' && item.keys.length === 1 && item.value.kind === 'string') continue;
    if (key.name !== 'path') throw policySyntaxError(key.pos, `invalid key ${JSON.stringify(key.name)}`, 'A policy holds only path "<pattern>" { ... } blocks (and an optional name = "...").');
    if (json) rules.push(...parseJsonPaths(item.value));
    else rules.push(parseHclPath(item));
  }
  return { name: normalizePolicyName(name), rules, ...(body.endComments.length > 0 ? { endComments: body.endComments } : {}) };
}

// `path "<pattern>" { ... }`: exactly one label and a block.
function parseHclPath(item: SyntaxItem): PathRule {
  const [, pattern, extra] = item.keys;
  if (pattern === undefined) throw policySyntaxError(item.pos, 'expected path "<pattern>" { ... }: the pattern is missing', 'Quote the path after the word path: path "secret/data/*" { capabilities = ["read"] }.');
  if (extra !== undefined) throw policySyntaxError(extra.pos, `path ${JSON.stringify(pattern.name)}: a path block takes one pattern, found another label ${JSON.stringify(extra.name)}`);
  return parseRule(pattern, item.value, item);
}

// `"path": {"<pattern>": {...}, ...}`, or a list of such objects (HCL's JSON form allows both).
function parseJsonPaths(value: SyntaxValue): PathRule[] {
  const objects = value.kind === 'list' ? value.items : [value];
  return objects.flatMap((object) => {
    if (object.kind !== 'object') throw policySyntaxError(object.pos, `"path" must map patterns to rule objects, found ${describeValue(object)}`, 'Write {"path": {"secret/data/*": {"capabilities": ["read"]}}}.');
    return object.body.items.map((item) => parseRule(item.keys[0] as SyntaxKey, item.value, item));
  });
}

// Vault strips one leading `/`, refuses `+*`; a `*` anywhere but last is refused here too (Vault
// would read it as a literal character, which is never what its author meant).
function checkPattern(key: SyntaxKey): string {
  const path = key.name.startsWith('/') ? key.name.slice(1) : key.name;
  const shown = JSON.stringify(key.name);
  if (path.includes('+*')) throw policySyntaxError(key.pos, `path ${shown}: invalid use of wildcards ('+*' is forbidden)`, 'End the pattern with /* (secret/+/*) or use + alone as a segment.');
  const star = path.indexOf('*');
  if (star !== -1 && star !== path.length - 1) {
    throw policySyntaxError(
      { line: key.pos.line, column: key.pos.column + star + (key.quoted ? 1 : 0) + (path === key.name ? 0 : 1) },
      `path ${shown}: "*" is a glob only as the last character`,
      'Use + for exactly one path segment (secret/+/config) and * only at the end (secret/data/*).',
    );
  }
  return path;
}

function parseRule(key: SyntaxKey, value: SyntaxValue, item: SyntaxItem): PathRule {
  const path = checkPattern(key);
  if (value.kind !== 'object') throw policySyntaxError(value.pos, `path ${JSON.stringify(key.name)}: expected a block { ... }, found ${describeValue(value)}`);
  const rule = parseRuleBody(key.name, path, value.body);
  const keyComments: Record<string, Comments> = {};
  for (const entry of value.body.items) {
    const comments = commentsOf([...entry.comments, ...collectComments(entry.value)], entry.trailing);
    if (comments !== undefined) keyComments[entry.keys[0]?.name ?? ''] = comments;
  }
  rule.layout = {
    comments: commentsOf(item.comments, item.trailing) ?? { leading: [] },
    keyOrder: value.body.items.map((entry) => entry.keys[0]?.name ?? ''),
    keyComments,
    end: value.body.endComments,
  };
  return rule;
}

function commentsOf(leading: string[], trailing: string | undefined): Comments | undefined {
  if (leading.length === 0 && trailing === undefined) return undefined;
  return { leading, ...(trailing === undefined ? {} : { trailing }) };
}
