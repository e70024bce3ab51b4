import { describe, expect, it } from 'vitest';
import { parseOutputFormat, scanGlobalFlags } from '../../src/cli/global-flags.js';
import { SecretrunError } from '../../src/errors.js';

describe('scanGlobalFlags', () => {
  it('defaults to table and nothing set', () => {
    expect(scanGlobalFlags(['kv', 'get', 'secret/foo'])).toEqual({
      format: 'table',
      detailed: false,
      outputCurlString: false,
      outputPolicy: false,
      help: false,
    });
  });

  it('finds global flags anywhere before --, in every spelling', () => {
    expect(scanGlobalFlags(['kv', 'get', 'secret/foo', '-format=JSON']).format).toBe('json');
    expect(scanGlobalFlags(['kv', 'get', '--format', 'yml', 'secret/foo']).format).toBe('yaml');
    expect(scanGlobalFlags(['secrets', 'list', '--detailed']).detailed).toBe(true);
    expect(scanGlobalFlags(['secrets', 'list', '-detailed=false']).detailed).toBe(false);
    expect(scanGlobalFlags(['kv', 'get', 'x', '-output-curl-string']).outputCurlString).toBe(true);
    expect(scanGlobalFlags(['kv', 'get', 'x', '--output-policy']).outputPolicy).toBe(true);
    expect(scanGlobalFlags(['kv', 'get', 'x', '-help']).help).toBe(true);
    expect(scanGlobalFlags(['run', '--', 'cmd', '-format=json', '-h'])).toMatchObject({ format: 'table', help: false });
  });

  it('prefers the command line over VAULT_FORMAT and VAULT_DETAILED', () => {
    expect(scanGlobalFlags(['kv', 'get', 'x'], { VAULT_FORMAT: 'yaml', VAULT_DETAILED: 'true' })).toMatchObject({
      format: 'yaml',
      detailed: true,
    });
    expect(scanGlobalFlags(['-format=json', '-detailed=0'], { VAULT_FORMAT: 'yaml', VAULT_DETAILED: 'true' })).toMatchObject({
      format: 'json',
      detailed: false,
    });
  });

  it('rejects an unknown format with the lower-cased value', () => {
    expect(() => scanGlobalFlags(['-format=XML'])).toThrow('Invalid output format: xml');
  });
});

describe('parseOutputFormat', () => {
  it.each([
    ['table', 'table'],
    ['JSON', 'json'],
    ['Yaml', 'yaml'],
    ['yml', 'yaml'],
  ] as const)('%s → %s', (raw, format) => expect(parseOutputFormat(raw)).toBe(format));

  it.each(['pretty', 'raw', ''])('%j is a usage error', (raw) => {
    let caught: unknown;
    try {
      parseOutputFormat(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SecretrunError);
    expect((caught as SecretrunError).code).toBe('usage');
    expect((caught as SecretrunError).message).toBe(`Invalid output format: ${raw}`);
  });
});
