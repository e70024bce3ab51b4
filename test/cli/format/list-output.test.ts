import { describe, expect, it } from 'vitest';
import { renderKeyList } from '../../../src/cli/format/list-output.js';
import { SecretrunError } from '../../../src/errors.js';

describe('renderKeyList', () => {
  it('renders the Keys column sorted', () => {
    expect(renderKeyList(['foo', 'bar/', 'baz'])).toBe('Keys\n----\nbar/\nbaz\nfoo');
  });

  it('renders nothing for an empty list', () => {
    expect(renderKeyList([])).toBe('');
  });

  it('rejects keys that are not strings', () => {
    expect(() => renderKeyList(['a', 3])).toThrow(SecretrunError);
    expect(() => renderKeyList(['a', 3])).toThrow('3 is not a string');
  });
});
