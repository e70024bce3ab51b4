import { describe, expect, it } from 'vitest';
import { encodeGoString, goStruct, renderGoJson, renderGoJsonIndented } from '../../src/go/json.js';

describe('renderGoJsonIndented', () => {
  it('sorts map keys in Go order, numeric-looking keys included', () => {
    expect(renderGoJsonIndented({ b: 1, '10': 2, '9': 3, a: [] })).toBe('{\n  "10": 2,\n  "9": 3,\n  "a": [],\n  "b": 1\n}');
  });

  it('escapes <, >, &, U+2028 and U+2029 as Go does, and empty containers inline', () => {
    expect(renderGoJsonIndented({ html: '<a href="x">&</a>', sep: '\u2028\u2029', empty: {} })).toBe(
      '{\n  "empty": {},\n  "html": "\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e",\n  "sep": "\\u2028\\u2029"\n}',
    );
  });

  it('renders scalars and replaces lone surrogates', () => {
    expect(renderGoJsonIndented('x')).toBe('"x"');
    expect(renderGoJsonIndented(2.5)).toBe('2.5');
    expect(renderGoJsonIndented(null)).toBe('null');
    expect(renderGoJsonIndented('a\ud800b')).toBe('"a\ufffdb"');
    expect(renderGoJsonIndented('tab\tnl\n')).toBe('"tab\\tnl\\n"');
  });
});

describe('renderGoJson', () => {
  it('is compact, sorts maps and keeps struct fields in their order', () => {
    const envelope = goStruct({ request_id: 'r', lease_id: '', data: { b: 1, '10': 2, '9': 3 }, warnings: null });
    expect(renderGoJson(envelope)).toBe('{"request_id":"r","lease_id":"","data":{"10":2,"9":3,"b":1},"warnings":null}');
  });

  it('sorts astral characters after U+E000..U+FFFF, as UTF-8 bytes do', () => {
    expect(renderGoJson({ '\u{1F600}': 1, '\uE000': 2, z: 3 })).toBe('{"z":3,"\uE000":2,"\u{1F600}":1}');
  });

  it('leaves out fields holding undefined and refuses non-finite numbers', () => {
    expect(renderGoJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => renderGoJson({ n: Number.NaN })).toThrow('json: unsupported value: NaN');
  });

  it('a copy of a struct is a map again', () => {
    const struct = goStruct({ b: 1, a: 2 });
    expect(renderGoJson(struct)).toBe('{"b":1,"a":2}');
    expect(renderGoJson({ ...struct })).toBe('{"a":2,"b":1}');
  });
});

describe('encodeGoString', () => {
  it('quotes every ASCII character as Go does, on the plain fast path and off it', () => {
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      const go = code === 0x3c || code === 0x3e || code === 0x26 ? `\\u00${code.toString(16)}` : JSON.stringify(char).slice(1, -1);
      expect(encodeGoString(`a${char}b`), `code ${code}`).toBe(`"a${go}b"`);
    }
    expect(encodeGoString('hmac-sha256:0123abcd')).toBe('"hmac-sha256:0123abcd"');
    expect(encodeGoString('')).toBe('""');
  });
});
