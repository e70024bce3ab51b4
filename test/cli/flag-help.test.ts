import { describe, expect, it } from 'vitest';
import { renderCommandHelp, renderFlagDetail } from '../../src/cli/flag-help.js';

describe('renderFlagDetail', () => {
  it('shows the example by kind and wraps usage at 78 columns indented by 6', () => {
    const detail = renderFlagDetail({
      name: 'field',
      kind: 'string',
      usage:
        'Print only the field with the given name. Specifying this option will take precedence over other formatting directives. The result will not have a trailing newline making it ideal for piping to other processes.',
    });
    const [synopsis, ...usage] = detail.split('\n');
    expect(synopsis).toBe('  -field=<string>');
    expect(usage.length).toBeGreaterThan(1);
    for (const line of usage) {
      expect(line.startsWith('      ')).toBe(true);
      expect(line.length).toBeLessThanOrEqual(78);
    }
  });

  it('appends aliases and non-empty defaults the way Vault does', () => {
    expect(renderFlagDetail({ name: 'detailed', kind: 'bool', usage: 'Print more.' })).toBe(
      '  -detailed\n      Print more. The default is false.',
    );
    expect(renderFlagDetail({ name: 'version', kind: 'int', usage: 'Version.', default: 0 })).toBe('  -version=<int>\n      Version.');
    expect(renderFlagDetail({ name: 'cas', kind: 'int', usage: 'CAS.', default: -1 })).toBe(
      '  -cas=<int>\n      CAS. The default is -1.',
    );
    expect(renderFlagDetail({ name: 'namespace', kind: 'string', usage: 'Namespace.', aliases: ['ns'] })).toBe(
      '  -namespace=<string>\n      Namespace. This is aliased as "-ns".',
    );
    expect(renderFlagDetail({ name: 'custom-metadata', kind: 'map', usage: 'Metadata.', default: { b: '2', a: '1' } })).toBe(
      '  -custom-metadata=<key=value>\n      Metadata. The default is a=1,b=2.',
    );
  });
});

describe('renderCommandHelp', () => {
  it('lays out usage, description and sections with flags in name order', () => {
    const help = renderCommandHelp({
      usage: 'secretrun kv get [options] KEY',
      description: `Retrieves the value from the key-value store at the given key name.

      $ secretrun kv get -mount=secret creds`,
      sections: [
        {
          title: 'Output Options',
          flags: [
            { name: 'format', kind: 'string', usage: 'Print the output in the given format.', default: 'table' },
            { name: 'field', kind: 'string', usage: 'Print only the field with the given name.' },
          ],
        },
        { title: 'Command Options', flags: [{ name: 'version', kind: 'int', usage: 'If passed, the value at the version number will be returned.' }] },
      ],
    });
    expect(help).toBe(`Usage: secretrun kv get [options] KEY

  Retrieves the value from the key-value store at the given key name.

      $ secretrun kv get -mount=secret creds

Output Options:

  -field=<string>
      Print only the field with the given name.

  -format=<string>
      Print the output in the given format. The default is table.

Command Options:

  -version=<int>
      If passed, the value at the version number will be returned.`);
  });
});
