import { describe, expect, it } from 'vitest';
import { checkCas, parseCas } from '../../src/kv/check-and-set.js';
import { errorOf } from './kv-harness.js';

const key = (current_version: number, cas_required = false) => ({ current_version, cas_required });

describe('parseCas', () => {
  it.each([
    [3, 3],
    ['3', 3],
    ['', 0],
    [null, 0],
    [true, 1],
  ])('%j → %s', (raw, cas) => {
    expect(parseCas(raw)).toBe(cas);
  });

  it.each([['abc'], [1.5], [{}], [[1]]])('%j is unparsable', async (raw) => {
    expect((await errorOf(() => parseCas(raw))).message).toBe('error parsing check-and-set parameter');
  });
});

describe('checkCas', () => {
  it('passes without options when nothing requires CAS', () => {
    expect(() => checkCas(undefined, false, key(2))).not.toThrow();
    expect(() => checkCas({}, false, key(2))).not.toThrow();
  });

  it('requires a matching version', async () => {
    expect(() => checkCas({ cas: 2 }, false, key(2))).not.toThrow();
    expect(() => checkCas({ cas: '2' }, false, key(2))).not.toThrow();
    const error = await errorOf(() => checkCas({ cas: 1 }, false, key(2)));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('check-and-set parameter did not match the current version');
  });

  it('cas 0 means "no versions yet"', async () => {
    expect(() => checkCas({ cas: 0 }, false, key(0))).not.toThrow();
    expect((await errorOf(() => checkCas({ cas: 0 }, false, key(1)))).message).toBe(
      'check-and-set parameter did not match the current version',
    );
  });

  it('is mandatory when the mount or the key requires it', async () => {
    for (const [mount, keyRequired] of [
      [true, false],
      [false, true],
    ] as const) {
      const error = await errorOf(() => checkCas({}, mount, key(0, keyRequired)));
      expect(error.message).toBe('check-and-set parameter required for this call');
    }
  });

  it('refuses options that are not a map', async () => {
    expect((await errorOf(() => checkCas('x', false, key(0)))).message).toBe(
      `Field validation failed: error converting input x for field "options": '' expected a map, got 'string'`,
    );
  });
});
