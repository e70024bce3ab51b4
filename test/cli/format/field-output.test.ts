import { describe, expect, it } from 'vitest';
import { renderFieldOutput } from '../../../src/cli/format/field-output.js';
import { SecretrunError } from '../../../src/errors.js';

describe('renderFieldOutput', () => {
  it('prints %v in table format, with a newline only on a terminal', async () => {
    expect(await renderFieldOutput('passcode', 'my-long-passcode', 'table', false)).toBe('my-long-passcode');
    expect(await renderFieldOutput('passcode', 'my-long-passcode', 'table', true)).toBe('my-long-passcode\n');
    expect(await renderFieldOutput('version', 2, 'table', false)).toBe('2');
    expect(await renderFieldOutput('data', { b: 1, a: 'x' }, 'table', false)).toBe('map[a:x b:1]');
  });

  it('encodes the value as JSON or YAML in those formats', async () => {
    expect(await renderFieldOutput('passcode', 'a<b', 'json', false)).toBe('"a\\u003cb"');
    expect(await renderFieldOutput('data', { b: 1, a: 'x' }, 'json', true)).toBe('{\n  "a": "x",\n  "b": 1\n}\n');
    // yaml.Marshal ends with a newline of its own, which Vault does not trim for -field.
    expect(await renderFieldOutput('passcode', 'value', 'yaml', false)).toBe('value\n');
    expect(await renderFieldOutput('passcode', 'value', 'yaml', true)).toBe('value\n\n');
  });

  it('reports a missing or null field the way Vault does', async () => {
    for (const value of [undefined, null]) {
      let caught: unknown;
      try {
        await renderFieldOutput('nope', value, 'table', false);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SecretrunError);
      expect((caught as SecretrunError).code).toBe('usage');
      expect((caught as SecretrunError).message).toBe('Field "nope" not present in secret');
    }
  });
});
