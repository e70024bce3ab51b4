import { parse } from 'dotenv';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quoteDotenv, renderEnv } from '../../src/runner/render-env.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { seededRandom as random } from '../helpers/seeded-random.js';

// Characters that quoting has to get right, and ordinary ones.
const hostile = ['\'', '"', '`', '$', '(', ')', '\\', '#', '\n', '\r', ' ', '\t', '=', ';', '&', '|', '!', '*', 'x', 'y', 'é', '✓', '\u2028', '{', '}', 'n', 'r'];

function randomValue(next: () => number): string {
  const length = Math.floor(next() * 16);
  return Array.from({ length }, () => hostile[Math.floor(next() * hostile.length)]).join('');
}

// The values sh sees after sourcing a file, read back NUL-separated.
function sourceWithSh(dir: string, file: string, names: readonly string[]): string[] {
  const script = `. ./${file}\nprintf '%s\\0' ${names.map((name) => `"$${name}"`).join(' ')}`;
  return execFileSync('/bin/sh', ['-c', script], { cwd: dir, encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('renderEnv dotenv', () => {
  it('round-trips every value it writes through the dotenv parser (both its parsers), random strings', () => {
    let written = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const variables: Record<string, string> = {};
      for (let i = 0; i < 6; i++) variables[`V${i}`] = randomValue(next);
      const writable = Object.fromEntries(Object.entries(variables).filter(([, value]) => quoteDotenv(value) !== undefined));
      const text = renderEnv(writable, 'dotenv');
      expect(parse(text), `seed ${seed}: ${JSON.stringify(text)}`).toEqual(writable);
      expect(parse(text, { fast: true }), `seed ${seed} (fast parser): ${JSON.stringify(text)}`).toEqual(writable);
      written += Object.keys(writable).length;
      // What is refused is exactly what no form can carry.
      for (const [name, value] of Object.entries(variables)) {
        if (Object.hasOwn(writable, name)) continue;
        expect(value.includes("'") || value.includes('\r'), `seed ${seed}: ${JSON.stringify(value)} refused`).toBe(true);
        expect(/[$`\\"]/.test(value)).toBe(true);
        expect(() => renderEnv({ [name]: value }, 'dotenv')).toThrow(`cannot write ${name} as dotenv: its value has`);
      }
    }
    expect(written).toBeGreaterThan(300 * 6 * 0.6);
  });

  it('writes nothing sh would run when the file is sourced, and sh reads the same values', () => {
    const dir = makeTempDir();
    const marker = join(dir, 'ran');
    const attacks = [
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `"; touch ${marker}; "`,
      `'; touch ${marker}; '`,
      `\${x:-$(touch ${marker})}`,
      `value\\`,
      `line1\n$(touch ${marker})\nline3`,
      `it's fine`,
      `ends with a quote'`,
      `tab\there # not a comment`,
      `#hash first`,
      `\n leading newline`,
      `crlf\r\nline`,
    ];
    const variables = Object.fromEntries(attacks.map((value, i) => [`A${i}`, value]));
    const next = random(99);
    for (let i = 0; i < 300; i++) {
      const value = randomValue(next);
      if (quoteDotenv(value) !== undefined) variables[`R${i}`] = value;
    }
    writeFileSync(join(dir, '.env'), renderEnv(variables, 'dotenv'));
    const names = Object.keys(variables);
    const seen = sourceWithSh(dir, '.env', names);
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(dir)).toEqual(['.env']);
    names.forEach((name, i) => {
      const value = variables[name] ?? '';
      // Inside double quotes sh keeps \r as two characters, where dotenv reads a carriage return.
      const expected = value.includes("'") ? value.replace(/\r/g, '\\r') : value.includes('\r') ? value.replace(/\r/g, '\\r') : value;
      expect(seen[i], `${name}: ${JSON.stringify(value)}`).toBe(expected);
    });
    expect(parse(renderEnv(variables, 'dotenv'))).toEqual(variables);
  });

  it('refuses, naming only the variable, what no dotenv quoting can carry safely', () => {
    const secret = `it's $(secret-9d2f1a)`;
    expect(() => renderEnv({ OK: 'fine', TOKEN: secret }, 'dotenv')).toThrow(
      'cannot write TOKEN as dotenv: its value has a \' and one of $ ` \\ " (no dotenv quoting keeps that both exact and inert when sourced by sh)',
    );
    const error = (() => {
      try {
        renderEnv({ TOKEN: secret }, 'dotenv');
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message).not.toContain('secret-9d2f1a');
    const proto = Object.create(null) as Record<string, string>;
    proto['__proto__'] = 'x';
    expect(() => renderEnv(proto, 'dotenv')).toThrow('cannot write __proto__ as dotenv: the dotenv parser drops this name');
    expect(renderEnv(proto, 'shell')).toBe("export __proto__='x'\n");
    expect(renderEnv(proto, 'json')).toBe('{\n  "__proto__": "x"\n}\n');
    // A secret with all kinds of quotes is still written by the other formats.
    expect(JSON.parse(renderEnv({ TOKEN: secret }, 'json'))).toEqual({ TOKEN: secret });
  });
});
