import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../../src/errors.js';
import { createIdentity, renderSecretKey } from '../../../src/store/recipients/identity.js';
import { renderIdentityFile, renderProtectedIdentityFile } from '../../../src/store/recipients/identity-file.js';
import { parseKeyMaterial } from '../../../src/store/recipients/key-material.js';
import { seededRandom } from './seeded-random.js';

function errorOf(fn: () => unknown): SecretrunError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecretrunError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('parseKeyMaterial', () => {
  it("takes today's base64 root key, with or without a trailing newline", () => {
    const key = randomBytes(32);
    expect(parseKeyMaterial(key.toString('base64'), 'SECRETRUN_KEY')).toEqual({ kind: 'root', key });
    expect(parseKeyMaterial(`${key.toString('base64')}\n`, 'key file k')).toEqual({ kind: 'root', key });
  });

  it('takes a private key line, or a whole private key file', () => {
    const identity = createIdentity(seededRandom('ci'));
    expect(parseKeyMaterial(renderSecretKey(identity.secret), 'SECRETRUN_KEY')).toEqual({ kind: 'identities', entries: [{ kind: 'plain', identity }] });
    expect(parseKeyMaterial(renderIdentityFile(identity, new Date(0)), 'SECRETRUN_KEY')).toEqual({
      kind: 'identities',
      entries: [{ kind: 'plain', identity }],
    });
    const protectedText = renderProtectedIdentityFile(identity, new Date(0), 'a passphrase', seededRandom('s'));
    expect(parseKeyMaterial(protectedText, 'SECRETRUN_KEY')).toMatchObject({ kind: 'identities', entries: [{ kind: 'protected' }] });
  });

  it('refuses anything else with a store_key error that names the source and never the text', () => {
    const identity = createIdentity(seededRandom('x'));
    const key = renderSecretKey(identity.secret);
    const typo = `${key.slice(0, 40)}${key[40] === 'Q' ? 'P' : 'Q'}${key.slice(41)}`;
    const cases: Array<[string, RegExp]> = [
      ['hunter2-not-a-key', /neither a root key .* nor a private key/],
      [randomBytes(16).toString('base64'), /neither a root key/],
      [typo, /SECRETRUN_KEY: its private key is not valid: its checksum does not match/],
      [`# my key\n${typo}\n`, /line 2/],
    ];
    for (const [text, message] of cases) {
      const error = errorOf(() => parseKeyMaterial(text, 'SECRETRUN_KEY'));
      expect(error.code).toBe('store_key');
      expect(error.message).toMatch(message);
      expect(error.message).toContain('SECRETRUN_KEY');
      expect(`${error.message}${error.hint ?? ''}`).not.toContain(text.trim().split('\n').at(-1));
    }
  });
});
