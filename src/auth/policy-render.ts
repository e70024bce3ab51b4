import type { JsonValue } from '../json.js';
import type { Comments, ParameterRule, PathRule, Policy, WrappingTtl } from './policy.js';

// `policy fmt`: a policy model printed as canonical HCL — two-space indent, `=` aligned within
// a run of one-line keys, one blank line between blocks, lists on one line, parameter maps one
// entry a line, keys in the order written. Comments are kept (a comment written inside a
// value is printed above its key); heredocs become quoted strings. Rendering what it parsed
// is stable: renderPolicy(parsePolicy(n, renderPolicy(p))) === renderPolicy(p).

const canonicalOrder = ['comment', 'policy', 'capabilities', 'required_parameters', 'allowed_parameters', 'denied_parameters', 'min_wrapping_ttl', 'max_wrapping_ttl', 'subscribe_event_types'];

interface Entry {
  key: string;
  /** One line, or the lines of a parameter map (first line ends with `{`). */
  lines: string[];
  comments: Comments | undefined;
}

// The canonical HCL text of a policy, ending with a newline (empty text for an empty policy).
export function renderPolicy(policy: Policy): string {
  const blocks = policy.rules.map(renderRule);
  const end = policy.endComments ?? [];
  if (end.length > 0) blocks.push(`${end.join('\n')}\n`);
  return blocks.join('\n');
}

function renderRule(rule: PathRule): string {
  const layout = rule.layout;
  const lines = [...(layout?.comments.leading ?? [])];
  const entries = orderKeys(rule).map((key): Entry => ({ key, lines: renderValue(rule, key), comments: layout?.keyComments[key] }));
  const end = layout?.end ?? [];
  const trailing = layout?.comments.trailing === undefined ? '' : ` ${layout.comments.trailing}`;
  if (entries.length === 0 && end.length === 0) return `${[...lines, `path ${quote(rule.path)} {}${trailing}`].join('\n')}\n`;
  lines.push(`path ${quote(rule.path)} {`, ...renderEntries(entries, '  '), ...end.map((comment) => `  ${comment}`), `}${trailing}`);
  return `${lines.join('\n')}\n`;
}

// Keys in the order the author wrote them, then any others in canonical order.
function orderKeys(rule: PathRule): string[] {
  const present = canonicalOrder.filter((key) => renderValue(rule, key).length > 0);
  const written = (rule.layout?.keyOrder ?? []).filter((key) => present.includes(key));
  return [...new Set([...written, ...present])];
}

// Lines of `key = value` entries: `=` aligned across each run of one-line entries.
function renderEntries(entries: Entry[], indent: string): string[] {
  const out: string[] = [];
  let index = 0;
  while (index < entries.length) {
    let runEnd = index;
    while (runEnd < entries.length && entries[runEnd]?.lines.length === 1) runEnd++;
    const run = runEnd === index ? [entries[index] as Entry] : entries.slice(index, runEnd);
    const width = Math.max(...run.map((entry) => entry.key.length));
    for (const entry of run) {
      out.push(...(entry.comments?.leading ?? []).map((comment) => `${indent}${comment}`));
      const [first = '', ...rest] = entry.lines;
      const tail = entry.comments?.trailing === undefined ? '' : ` ${entry.comments.trailing}`;
      const head = `${indent}${entry.key.padEnd(entry.lines.length === 1 ? width : 0)} = ${first}`;
      if (rest.length === 0) out.push(`${head}${tail}`);
      else out.push(head, ...rest.slice(0, -1).map((line) => `${indent}${line}`), `${indent}${rest[rest.length - 1] ?? ''}${tail}`);
    }
    index = index + run.length;
  }
  return out;
}

// The value of one key as lines, or no lines when the rule does not have that key.
function renderValue(rule: PathRule, key: string): string[] {
  switch (key) {
    case 'comment':
      return rule.comment === undefined ? [] : [quote(rule.comment)];
    case 'policy':
      return rule.policy === undefined ? [] : [quote(rule.policy)];
    case 'capabilities':
      return rule.capabilities === undefined ? [] : [renderJson(rule.capabilities)];
    case 'required_parameters':
      return rule.requiredParameters === undefined ? [] : [renderJson(rule.requiredParameters)];
    case 'allowed_parameters':
      return rule.allowedParameters === undefined ? [] : renderParameters(rule.allowedParameters);
    case 'denied_parameters':
      return rule.deniedParameters === undefined ? [] : renderParameters(rule.deniedParameters);
    case 'min_wrapping_ttl':
      return renderTtl(rule.minWrappingTtl);
    case 'max_wrapping_ttl':
      return renderTtl(rule.maxWrappingTtl);
    case 'subscribe_event_types':
      return rule.subscribeEventTypes === undefined ? [] : [renderJson(rule.subscribeEventTypes)];
    default:
      return [];
  }
}

function renderTtl(ttl: WrappingTtl | undefined): string[] {
  if (ttl === undefined) return [];
  return [typeof ttl.written === 'number' ? String(ttl.written) : quote(ttl.written)];
}

function renderParameters(parameters: ParameterRule[]): string[] {
  if (parameters.length === 0) return ['{}'];
  const entries = parameters.map((parameter): Entry => ({ key: quote(parameter.name), lines: [renderJson(parameter.values)], comments: undefined }));
  return ['{', ...renderEntries(entries, '  '), '}'];
}

// A value as HCL on one line: lists `["a", "b"]`, objects `{ "k" = v, ... }`.
function renderJson(value: JsonValue): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(renderJson).join(', ')}]`;
  const entries = Object.entries(value).map(([key, inner]) => `${quote(key)} = ${renderJson(inner)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

// A double-quoted HCL string. JSON's escapes (\" \\ \n \t \uXXXX ...) are all valid in HCL.
function quote(text: string): string {
  return JSON.stringify(text);
}
