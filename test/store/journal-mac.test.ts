import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkRunningMac, extendRunningMac, finishRunningMac, startRunningMac, updateRunningMac } from '../../src/store/journal-mac.js';

describe('the running MAC', () => {
  it('is HMAC-SHA-256 over every line so far, each ending in a newline', () => {
    const key = randomBytes(32);
    const lines = ['{"secretrun_journal":1}', '{"seq":1,"set":[]}', 'ünïcode ✓'];
    let state = startRunningMac(key);
    for (let i = 0; i < lines.length; i++) {
      state = extendRunningMac(state, lines[i] as string);
      expect(finishRunningMac(state)).toBe(createHmac('sha256', key).update(lines.slice(0, i + 1).map((l) => `${l}\n`).join('')).digest('base64'));
    }
  });

  it('leaves the state it extends as it was, and checks a MAC in constant time', () => {
    const key = randomBytes(32);
    const start = startRunningMac(key);
    const one = extendRunningMac(start, 'a');
    const other = extendRunningMac(start, 'b');
    expect(finishRunningMac(one)).not.toBe(finishRunningMac(other));
    const inPlace = startRunningMac(key);
    updateRunningMac(inPlace, 'a');
    expect(checkRunningMac(inPlace, finishRunningMac(one))).toBe(true);
    expect(checkRunningMac(inPlace, finishRunningMac(other))).toBe(false);
    expect(checkRunningMac(inPlace, 'AAAA')).toBe(false);
  });
});
