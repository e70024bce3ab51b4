import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBech32, encodeBech32 } from '../../../src/store/recipients/bech32.js';

const alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

describe('bech32', () => {
  it('accepts the valid strings of BIP 173', () => {
    for (const text of [
      'A12UEL5L',
      'a12uel5l',
      'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
      'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
      'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w',
      '?1ezyfcl',
    ]) {
      const decoded = decodeBech32(text);
      expect(decoded.ok, text).toBe(true);
    }
  });

  it('refuses the invalid strings of BIP 173, saying why', () => {
    expect(decodeBech32('A1G7SGD8')).toEqual({ ok: false, problem: 'checksum' });
    expect(decodeBech32('x1b4n0q5v')).toEqual({ ok: false, problem: 'bad-character' });
    expect(decodeBech32('li1dgmt3')).toEqual({ ok: false, problem: 'no-separator' });
    expect(decodeBech32('1qzzfhee')).toEqual({ ok: false, problem: 'no-separator' });
    expect(decodeBech32('a12UEL5L')).toEqual({ ok: false, problem: 'mixed-case' });
    expect(decodeBech32('de1lg7wt\u00ff')).toEqual({ ok: false, problem: 'bad-character' });
  });

  it('round-trips bytes of every length, in both cases, with no length limit', () => {
    for (let length = 0; length <= 80; length++) {
      const bytes = randomBytes(length);
      for (const prefix of ['age', 'AGE-SECRET-KEY-']) {
        const text = encodeBech32(prefix, bytes);
        expect(text).toBe(prefix === 'age' ? text.toLowerCase() : text.toUpperCase());
        const decoded = decodeBech32(text);
        expect(decoded).toEqual({ ok: true, prefix: prefix.toLowerCase(), bytes });
      }
    }
  });

  it('detects every single-character change, swap of neighbours, and lost or added character in a key', () => {
    const text = encodeBech32('age', randomBytes(32));
    const data = text.indexOf('1') + 1;
    let tried = 0;
    for (let i = data; i < text.length; i++) {
      for (const char of alphabet) {
        if (char === text[i]) continue;
        const changed = text.slice(0, i) + char + text.slice(i + 1);
        expect(decodeBech32(changed).ok, `change at ${i}`).toBe(false);
        tried++;
      }
      if (i + 1 < text.length && text[i] !== text[i + 1]) {
        expect(decodeBech32(text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2)).ok, `swap at ${i}`).toBe(false);
      }
      const lost = decodeBech32(text.slice(0, i) + text.slice(i + 1));
      expect(lost.ok && lost.bytes.length === 32, `loss at ${i}`).toBe(false);
      const added = decodeBech32(text.slice(0, i) + 'q' + text.slice(i));
      expect(added.ok && added.bytes.length === 32, `insertion at ${i}`).toBe(false);
    }
    expect(tried).toBeGreaterThan(1500);
  });
});
