import { describe, expect, it } from 'vitest';
import { buildMaskAutomaton, endsHere, hasChildren, step } from '../../src/runner/mask-automaton.js';

// The automaton's meaning, computed the slow way: the longest suffix of `text` that begins
// some string.
function longestSuffixPrefix(strings: readonly string[], text: string): string {
  for (let start = 0; start <= text.length; start++) {
    const suffix = text.slice(start);
    if (strings.some((string) => string.startsWith(suffix))) return suffix;
  }
  return '';
}

// Each state's string, read back through the trie from the root.
function stateStrings(strings: readonly string[]): Map<string, number> {
  const automaton = buildMaskAutomaton(strings.map((string) => Buffer.from(string, 'latin1')));
  const byString = new Map<string, number>();
  for (const string of strings) {
    let state = 0;
    for (let i = 0; i <= string.length; i++) {
      byString.set(string.slice(0, i), state);
      if (i < string.length) state = step(automaton, state, string.charCodeAt(i));
    }
  }
  return byString;
}

describe('buildMaskAutomaton', () => {
  it('numbers states depth first, one per distinct prefix', () => {
    const automaton = buildMaskAutomaton(['abcd', 'abxy', 'b', 'abcd'].map((s) => Buffer.from(s)));
    expect(automaton.size).toBe(1 + 4 + 2 + 1);
    expect(automaton.maxLength).toBe(4);
    expect([...automaton.depth]).toEqual([0, 1, 2, 3, 4, 3, 4, 1]);
    expect(automaton.terminal[4]).toBe(1);
    expect(automaton.flags[7]! & endsHere).toBe(endsHere);
    expect(automaton.flags[4]! & hasChildren).toBe(0);
    expect(automaton.flags[2]! & hasChildren).toBe(hasChildren);
  });

  it('steps to the longest suffix that begins some string, over random strings and text', () => {
    let seed = 3;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 60; round++) {
      const pick = (length: number): string => Array.from({ length }, () => 'abc'[Math.floor(next() * 3)]).join('');
      const strings = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(1 + Math.floor(next() * 7)));
      const automaton = buildMaskAutomaton(strings.map((s) => Buffer.from(s)));
      const states = stateStrings(strings);
      const text = pick(80);
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        state = step(automaton, state, text.charCodeAt(i));
        const expected = longestSuffixPrefix(strings, text.slice(0, i + 1));
        expect(state).toBe(states.get(expected));
        const ends = strings.some((string) => text.slice(0, i + 1).endsWith(string));
        expect((automaton.flags[state]! & endsHere) !== 0).toBe(ends);
      }
    }
  });

  it('has no states beyond the root for no strings, and ignores empty ones', () => {
    expect(buildMaskAutomaton([]).size).toBe(1);
    expect(buildMaskAutomaton([Buffer.alloc(0)]).size).toBe(1);
  });
});
