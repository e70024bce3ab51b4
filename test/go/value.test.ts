import { describe, expect, it } from 'vitest';
import { renderGoValue } from '../../src/go/value.js';

describe('renderGoValue (Go %v of JSON values)', () => {
  it.each([
    [null, '<nil>'],
    [undefined, '<nil>'],
    [true, 'true'],
    [false, 'false'],
    ['plain text', 'plain text'],
    ['', ''],
    [0, '0'],
    [42, '42'],
    [-7, '-7'],
    [2.5, '2.5'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [[], '[]'],
    [['a', 'b'], '[a b]'],
    [[1, null, [true]], '[1 <nil> [true]]'],
    [{}, 'map[]'],
    [{ b: 2, a: 'x' }, 'map[a:x b:2]'],
    [{ '10': 1, '9': 2, b: { z: null, y: [] } }, 'map[10:1 9:2 b:map[y:[] z:<nil>]]'],
  ] as const)('%j → %s', (value, expected) => {
    expect(renderGoValue(value)).toBe(expected);
  });
});
