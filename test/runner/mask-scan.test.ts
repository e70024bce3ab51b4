import { describe, expect, it } from 'vitest';
import { buildMaskAutomaton } from '../../src/runner/mask-automaton.js';
import { buildMaskGrams } from '../../src/runner/mask-grams.js';
import { planMasking } from '../../src/runner/mask-scan.js';

// Plans with and without the gram index: the index only finds the same matches faster.
function plans(values: string[], output: string, final = false): [unknown, unknown] {
  const needles = values.map((value) => Buffer.from(value));
  const automaton = buildMaskAutomaton(needles);
  const grams = buildMaskGrams(needles);
  expect(grams).toBeDefined();
  const bytes = Buffer.from(output);
  return [planMasking(automaton, grams, bytes, final), planMasking(automaton, undefined, bytes, final)];
}

describe('planMasking', () => {
  it('finds through sampled grams what the automaton finds byte by byte', () => {
    const values = ['correct-horse-battery', 'staple-0123456789', 'horse-battery-staple'];
    const output = 'x correct-horse-battery-staple-0123456789 y horse-battery-stapl correct-horse';
    const [sampled, read] = plans(values, output);
    expect(sampled).toEqual(read);
    expect(sampled).toEqual({ starts: [2, 24], lengths: [21, 17], holdFrom: output.length - 'correct-horse'.length });
    expect(plans(values, output, true)[0]).toEqual({ starts: [2, 24], lengths: [21, 17], holdFrom: output.length });
  });

  it('stays right when comparing candidates stops paying and the automaton takes over', () => {
    // Every sampled `aaaa` has 34 candidates that agree for up to 20 bytes: the budget runs out.
    const value = `${'a'.repeat(20)}b${'a'.repeat(20)}`;
    const output = `${'a'.repeat(5000)}${value}${'a'.repeat(3000)}b${'a'.repeat(19)}`;
    const [sampled, read] = plans([value, `${'a'.repeat(30)}c`], output);
    expect(sampled).toEqual(read);
    expect(sampled).toEqual({ starts: [5000], lengths: [41], holdFrom: output.length - 40 });
  });

  it('finds values that share their first bytes, at the very start and end of the buffer, among their beginnings', () => {
    // The index holds each value's last grams: a sample may point before the buffer's start.
    const values = ['ghp_0123456789abcdefXYZ', 'ghp_0123456789abcdefQRS', 'ghp_ffffffffffffffffffffffffffffffffffffff'];
    const output = `${values[0]} ghp_0123 ghp_0123456789abcdefXY ${values[2]}ghp_0123456789${values[1]}`;
    const [sampled, read] = plans(values, output, true);
    expect(sampled).toEqual(read);
    expect((sampled as { starts: number[] }).starts).toEqual([0, output.indexOf(values[2]!), output.lastIndexOf(values[1]!)]);
  });

  it('hands the automaton enough bytes before the last sample to find a long value beginning there', () => {
    // Many short values ending in a run of `a`s make comparing stop paying in a run of `a`s, here
    // about 830 bytes in; the long value's last grams (`yyyy`) lie ninety bytes after its start,
    // so for some of these starts it begins before that point but is sampled only after it.
    const values = [...'bcdefghijklmnopqrstuvwxyz'].map((c) => `${'a'.repeat(30)}${c}`);
    const long = `Z${'a'.repeat(20)}${'y'.repeat(100)}Z`;
    for (let before = 780; before < 840; before += 1) {
      const output = `${'a'.repeat(before)}${long}${'a'.repeat(3000)}`;
      const [sampled, read] = plans([...values, long], output, true);
      expect(sampled).toEqual(read);
      expect(sampled).toEqual({ starts: [before], lengths: [long.length], holdFrom: output.length });
    }
  });
});
