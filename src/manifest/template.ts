import { tryParseReference } from './reference.js';
import type { Reference } from './reference.js';

// One piece of a template: literal text or a placeholder to fill with a secret field.
export type TemplatePart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'ref'; readonly ref: Reference };

// A parsed template, or the reason it is not one (the caller adds file and line).
export type TemplateParse = { ok: true; parts: readonly TemplatePart[] } | { ok: false; problem: string };

// Parses `text {{ path#field }} text`. `\{{` is a literal `{{`; every other character,
// backslashes included, is literal, so URLs and regexes need no escaping. Pure.
export function parseTemplate(template: string): TemplateParse {
  const parts: TemplatePart[] = [];
  let text = '';
  let index = 0;
  while (index < template.length) {
    if (template.startsWith('\\{{', index)) {
      text += '{{';
      index += 3;
      continue;
    }
    if (!template.startsWith('{{', index)) {
      text += template[index];
      index += 1;
      continue;
    }
    const close = template.indexOf('}}', index + 2);
    if (close === -1) return { ok: false, problem: `unclosed '{{' at character ${index + 1} (write \\{{ for a literal '{{')` };
    const inner = template.slice(index + 2, close).trim();
    const ref = tryParseReference(inner);
    if (!ref) return { ok: false, problem: `invalid reference '{{ ${inner} }}' (expected path#field or path#field@version)` };
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'ref', ref });
    index = close + 2;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return { ok: true, parts };
}

// Fills a parsed template; `lookup` returns the field's value or undefined when missing.
export function renderTemplate(parts: readonly TemplatePart[], lookup: (ref: Reference) => string | undefined): string | undefined {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const value = lookup(part.ref);
    if (value === undefined) return undefined;
    out += value;
  }
  return out;
}
