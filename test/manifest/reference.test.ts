import { describe, expect, it } from 'vitest';
import { formatReference, parseReference, tryParseReference, tryParseSecretPath } from '../../src/manifest/reference.js';
import { parseTemplate, renderTemplate } from '../../src/manifest/template.js';
import { parseDuration, tryParseDuration } from '../../src/manifest/duration.js';

describe('parseReference', () => {
  it('parses path#field and a version pin', () => {
    expect(parseReference('secret/api-keys/openai#api_key')).toEqual({ path: 'secret/api-keys/openai', field: 'api_key' });
    expect(parseReference('secret/x#y@3')).toEqual({ path: 'secret/x', field: 'y', version: 3 });
    expect(formatReference({ path: 'secret/x', field: 'y', version: 3 })).toBe('secret/x#y@3');
  });

  it('rejects what is not a reference', () => {
    for (const text of ['secret/x', '#y', 'secret/x#', 'a#b#c', 'a#b@0', 'a#b@x', 'a b#c']) expect(tryParseReference(text)).toBeUndefined();
    expect(() => parseReference('secret/x')).toThrow("invalid reference 'secret/x': expected path#field or path#field@version");
  });

  it('parses whole-secret paths', () => {
    expect(tryParseSecretPath('secret/app@2')).toEqual({ path: 'secret/app', version: 2 });
    expect(tryParseSecretPath('secret/app#x')).toBeUndefined();
  });
});

describe('parseTemplate', () => {
  it('splits text and placeholders, with or without inner spaces', () => {
    const parsed = parseTemplate('a{{secret/x#y}}b{{ secret/z#w@2 }}');
    expect(parsed).toEqual({
      ok: true,
      parts: [
        { kind: 'text', text: 'a' },
        { kind: 'ref', ref: { path: 'secret/x', field: 'y' } },
        { kind: 'text', text: 'b' },
        { kind: 'ref', ref: { path: 'secret/z', field: 'w', version: 2 } },
      ],
    });
  });

  it('keeps \\{{ as a literal {{ and other backslashes as they are', () => {
    expect(parseTemplate('\\{{ not }} a\\b }}')).toEqual({ ok: true, parts: [{ kind: 'text', text: '{{ not }} a\\b }}' }] });
  });

  it('reports unclosed and invalid placeholders', () => {
    expect(parseTemplate('x{{ a#b')).toEqual({ ok: false, problem: "unclosed '{{' at character 2 (write \\{{ for a literal '{{')" });
    expect(parseTemplate('{{ a }}')).toEqual({ ok: false, problem: "invalid reference '{{ a }}' (expected path#field or path#field@version)" });
  });

  it('renders with a lookup, undefined when a field is missing', () => {
    const parsed = parseTemplate('u={{ s#a }};p={{ s#b }}');
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(renderTemplate(parsed.parts, (ref) => ref.field.toUpperCase())).toBe('u=A;p=B');
    expect(renderTemplate(parsed.parts, (ref) => (ref.field === 'a' ? 'A' : undefined))).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it('parses Go-style durations into milliseconds', () => {
    expect(tryParseDuration('0')).toBe(0);
    expect(tryParseDuration('100ms')).toBe(100);
    expect(tryParseDuration('1m30s')).toBe(90_000);
    expect(tryParseDuration('1.5s')).toBe(1500);
    expect(tryParseDuration('2h')).toBe(7_200_000);
    expect(tryParseDuration('5')).toBeUndefined();
    expect(() => parseDuration('5 s', '--kill-timeout')).toThrow("invalid duration for --kill-timeout: '5 s'");
  });
});
