import { describe, expect, it } from 'vitest';
import { LineCounter, isMap, parseDocument } from 'yaml';
import type { Pair } from 'yaml';
import { locateKey, locateNode, nodePosition } from '../../src/manifest/yaml-location.js';

describe('locateKey', () => {
  it('finds each key of a large map reading its pairs once, not once per lookup', () => {
    const count = 5000;
    const text = `env:\n${Array.from({ length: count }, (_, i) => `  VAR_${i}: secret/app#f${i}\n`).join('')}`;
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    const env = locateNode(doc, ['env']).value;
    if (!isMap(env)) throw new Error('env is not a map');
    // Count how many pairs are read while every key is located (a scan per lookup read n²/2).
    let reads = 0;
    const items = env.items as Pair[];
    env.items = new Proxy(items, {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property)) reads += 1;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const lines = Array.from({ length: count }, (_, i) => nodePosition(locateKey(doc, ['env'], `VAR_${i}`), lineCounter).line);
    expect(lines).toEqual(Array.from({ length: count }, (_, i) => i + 2));
    expect(reads).toBeLessThanOrEqual(2 * count);
  });

  it('finds the first of duplicate keys, and nothing for a missing one', () => {
    const lineCounter = new LineCounter();
    const doc = parseDocument('env:\n  A: x#y\n  A: z#w\n', { lineCounter, uniqueKeys: false });
    expect(nodePosition(locateKey(doc, ['env'], 'A'), lineCounter)).toEqual({ line: 2, col: 3 });
    expect(locateKey(doc, ['env'], 'B')).toBeUndefined();
  });
});
