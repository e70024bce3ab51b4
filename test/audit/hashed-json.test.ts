// Go's JSON of a value with its strings (and stored numbers) hashed, in one pass.
import { describe, expect, it } from 'vitest';
import { createHasher } from '../../src/audit/audit-hash.js';
import { renderHashedGoJson } from '../../src/audit/hashed-json.js';

const hash = createHasher('4c9a4a9e-8f2d-4b1a-9c3e-0d5b7e6f1a2b');
const h = (value: string): string => JSON.stringify(hash(value));

describe('renderHashedGoJson', () => {
  const value = { password: 'hunter2', nested: { list: ['a', 1, true, null, { deep: 'b' }] }, count: 3, flag: false, nothing: null, '<key>': 'c', '10': 'd', '9': 'e' };

  it('hashes every string at any depth and leaves keys, booleans and null; maps in Go order, keys escaped as Go does', () => {
    expect(renderHashedGoJson(value, hash, false)).toBe(
      `{"10":${h('d')},"9":${h('e')},"\\u003ckey\\u003e":${h('c')},"count":3,"flag":false,"nested":{"list":[${h('a')},1,true,null,{"deep":${h('b')}}]},"nothing":null,"password":${h('hunter2')}}`,
    );
  });

  it('hashes numbers too when they are stored values (Go json.Number)', () => {
    expect(renderHashedGoJson({ count: 3, list: [1.5] }, hash, true)).toBe(`{"count":${h('3')},"list":[${h('1.5')}]}`);
  });

  it('renders scalars and empty containers', () => {
    expect(renderHashedGoJson('x', hash, false)).toBe(h('x'));
    expect(renderHashedGoJson([], hash, false)).toBe('[]');
    expect(renderHashedGoJson({}, hash, false)).toBe('{}');
  });
});
