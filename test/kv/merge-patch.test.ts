import { describe, expect, it } from 'vitest';
import { applyMergePatch } from '../../src/kv/merge-patch.js';
import type { JsonValue } from '../../src/json.js';

describe('applyMergePatch (RFC 7396)', () => {
  it.each<[JsonValue, JsonValue, JsonValue]>([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j → %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('patches a member named __proto__ as a member, never the prototype (it was lost)', () => {
    const patched = applyMergePatch({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}, "b": 2}') as JsonValue) as Record<string, unknown>;
    expect(JSON.stringify(patched)).toBe('{"a":1,"__proto__":{"polluted":true},"b":2}');
    expect(Object.getPrototypeOf(patched)).toBe(Object.prototype);
    expect(JSON.stringify(applyMergePatch(patched as JsonValue, JSON.parse('{"__proto__": {"x": 1}}') as JsonValue))).toBe('{"a":1,"__proto__":{"polluted":true,"x":1},"b":2}');
  });

  it('does not modify its inputs', () => {
    const target = { a: { b: 1 } };
    const patch = { a: { c: 2 } };
    const result = applyMergePatch(target, patch) as { a: { b: number } };
    result.a.b = 99;
    expect(target).toEqual({ a: { b: 1 } });
    expect(patch).toEqual({ a: { c: 2 } });
  });
});
