import { describe, expect, it } from 'vitest';
import type { GoPrintable } from '../../src/go/sprintf.js';
import { compileGoTemplate, type TemplateFunction } from '../../src/go/text-template.js';

const functions = new Map<string, TemplateFunction>([
  ['upper', { params: ['string'], call: ([s]) => ({ ok: true, value: String(s).toUpperCase() }) }],
  ['cut', { params: ['int', 'string'], call: ([n, s]) => (Number(n) <= 0 ? { ok: false, error: 'n must be > 0' } : { ok: true, value: String(s).slice(0, Number(n)) }) }],
  ['join', { params: ['string'], variadic: 'any', call: ([sep, ...rest]) => ({ ok: true, value: rest.map(String).join(String(sep)) }) }],
  ['seven', { params: [], call: () => ({ ok: true, value: 7 }) }],
]);

const data = { typeName: 'dbplugin.UsernameMetadata', fields: { DisplayName: 'token', RoleName: 'my-role' } as Record<string, GoPrintable> };

function render(text: string): string {
  const compiled = compileGoTemplate(text, functions);
  if (!compiled.ok) throw new Error(compiled.error);
  const result = compiled.value.execute(data);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function parseError(text: string): string {
  const compiled = compileGoTemplate(text, functions);
  return compiled.ok ? 'parsed' : compiled.error;
}

function executeError(text: string): string {
  const compiled = compileGoTemplate(text, functions);
  if (!compiled.ok) throw new Error(compiled.error);
  const result = compiled.value.execute(data);
  return result.ok ? 'executed' : result.error;
}

describe('Go text/template subset', () => {
  it('renders text, fields and pipelines (the piped value is the last argument)', () => {
    expect(render('v-{{.DisplayName}}-{{ .RoleName | upper }}')).toBe('v-token-MY-ROLE');
    expect(render('{{ .RoleName | cut 2 | upper }}')).toBe('MY');
    expect(render('{{ join "-" (.DisplayName | cut 3) .RoleName seven }}')).toBe('tok-my-role-7');
  });

  it('takes string, raw string, number and boolean literals', () => {
    expect(render('{{ join "" "a\\tb" `c\\d` 12 true }}')).toBe('a\tbc\\d12true');
    expect(render('{{ "\\x41\\u00e9" }}')).toBe('Aé');
  });

  it('trims white space around {{- and -}}, and drops comments', () => {
    expect(render('a  {{- "b" -}}  c')).toBe('abc');
    expect(render('a{{/* a comment */}}b')).toBe('ab');
  });

  it('refuses unknown functions, control actions and variables at parse time', () => {
    expect(parseError('{{ nope 1 }}')).toBe('template: template:1: function "nope" not defined');
    expect(parseError('{{ if .RoleName }}x{{ end }}')).toMatch(/unsupported action "if"/);
    expect(parseError('{{ $x := 1 }}')).toMatch(/variables are not supported/);
    expect(parseError('{{ .RoleName ')).toMatch(/unclosed action/);
    expect(parseError('{{ (upper "a" }}')).toMatch(/unclosed left paren/);
  });

  it("fails execution with Go's messages", () => {
    expect(executeError('{{ .Missing }}')).toMatch(/executing "template" at <\.Missing>: can't evaluate field Missing in type dbplugin\.UsernameMetadata$/);
    expect(executeError('{{ cut 0 "x" }}')).toMatch(/at <cut 0 "x">: error calling cut: n must be > 0$/);
    expect(executeError('{{ cut "x" "y" }}')).toMatch(/wrong type for value; expected int; got string$/);
    expect(executeError('{{ upper }}')).toMatch(/wrong number of args for upper: want 1 got 0$/);
    expect(executeError('{{ .RoleName "x" }}')).toMatch(/can't give argument to non-function \.RoleName$/);
  });
});
