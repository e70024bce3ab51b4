import { describe, expect, it } from 'vitest';
import { compileAcl } from '../../src/auth/acl.js';
import { hasSegmentWildcards } from '../../src/auth/acl-index.js';
import { parsePolicy } from '../../src/auth/policy-parse.js';
import { seededRandom as random } from '../helpers/seeded-random.js';

// The indexed lookup (maps by prefix length, wildcard groups by head, early stop) must pick the
// same governing rule as the plain reading of Vault's rules: try every rule, rank every match.
// This reference does exactly that, slowly, and random policies compare the two.

interface Ranked {
  pattern: string;
  first: number;
  isPrefix: boolean;
  wildcards: number;
  body: string;
}

function matchesSegments(pattern: string, path: string): boolean {
  const isPrefix = pattern.endsWith('*');
  const segments = (isPrefix ? pattern.slice(0, -1) : pattern).split('/');
  const parts = path.split('/');
  if (parts.length < segments.length) return false;
  if (!isPrefix && parts.length !== segments.length) return false;
  return segments.every((segment, i) => segment === '+' || segment === parts[i] || (isPrefix && i === segments.length - 1 && (parts[i] ?? '').startsWith(segment)));
}

// Vault's documented order: later first wildcard, then not ending in *, then fewer +, then
// longer, then lexicographically greater (all the patterns here are ASCII).
function better(a: Ranked, b: Ranked): Ranked {
  if (a.first !== b.first) return a.first > b.first ? a : b;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix ? b : a;
  if (a.wildcards !== b.wildcards) return a.wildcards < b.wildcards ? a : b;
  if (a.body.length !== b.body.length) return a.body.length > b.body.length ? a : b;
  return a.body > b.body ? a : b;
}

function referenceGlob(patterns: string[], path: string): string | undefined {
  const prefixes = patterns.filter((p) => !hasSegmentWildcards(p) && p.endsWith('*') && path.startsWith(p.slice(0, -1)));
  const longest = prefixes.sort((a, b) => b.length - a.length)[0];
  const candidates: Ranked[] = longest === undefined ? [] : [{ pattern: longest, first: longest.length - 1, isPrefix: true, wildcards: 0, body: longest.slice(0, -1) }];
  for (const pattern of patterns.filter((p) => hasSegmentWildcards(p) && matchesSegments(p, path))) {
    const body = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
    candidates.push({ pattern, first: pattern.indexOf('+'), isPrefix: pattern.endsWith('*'), wildcards: body.split('/').filter((s) => s === '+').length, body });
  }
  return candidates.reduce<Ranked | undefined>((best, next) => (best === undefined ? next : better(best, next)), undefined)?.pattern;
}

function reference(patterns: string[], path: string, list: boolean): string | undefined {
  const exact = patterns.filter((p) => !hasSegmentWildcards(p) && !p.endsWith('*'));
  if (exact.includes(path)) return path;
  if (list) {
    const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
    if (exact.includes(trimmed)) return trimmed;
    if (trimmed !== path) {
      const found = referenceGlob(patterns, trimmed);
      if (found !== undefined) return found;
    }
  }
  return referenceGlob(patterns, path);
}

const words = ['secret', 'data', 'a', 'ab', 'abc', 'b'];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function randomPattern(next: () => number): string {
  const segments = Array.from({ length: 1 + Math.floor(next() * 4) }, () => (next() < 0.3 ? '+' : pick(next, words)));
  const pattern = segments.join('/');
  const ending = next();
  if (ending < 0.3) return `${pattern}/*`;
  if (ending < 0.5 && !pattern.endsWith('+')) return `${pattern}*`;
  if (ending < 0.6) return `${pattern}/`;
  return pattern;
}

function randomPath(next: () => number): string {
  const path = Array.from({ length: 1 + Math.floor(next() * 5) }, () => pick(next, [...words, 'x', 'abcd'])).join('/');
  return next() < 0.25 ? `${path}/` : path;
}

describe('the rule index', () => {
  it('picks the same governing rule as trying every rule, on 300 random policies', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const patterns = [...new Set(Array.from({ length: 1 + Math.floor(next() * 12) }, () => randomPattern(next)))];
      const acl = compileAcl([parsePolicy('p', patterns.map((p) => `path ${JSON.stringify(p)} { capabilities = ["read", "list"] }`).join('\n'))]);
      for (let i = 0; i < 40; i++) {
        const path = randomPath(next);
        for (const operation of ['read', 'list'] as const) {
          const listPath = operation === 'list' && !path.endsWith('/') ? `${path}/` : path;
          const expected = reference(patterns, listPath, operation === 'list');
          const actual = acl.decide({ path, operation }).rule;
          if (actual !== expected) expect.fail(`seed ${seed}: ${operation} ${path} under [${patterns.join(', ')}]: index chose ${actual}, reference ${expected}`);
        }
      }
    }
  });

  it('classifies segment wildcards as policy.go does', () => {
    expect(hasSegmentWildcards('+')).toBe(true);
    expect(hasSegmentWildcards('+/a')).toBe(true);
    expect(hasSegmentWildcards('a/+x')).toBe(true);
    expect(hasSegmentWildcards('a+/b')).toBe(false);
    expect(hasSegmentWildcards('secret/data/c++')).toBe(false);
  });
});
