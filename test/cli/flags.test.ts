import { describe, expect, it } from 'vitest';
import { parseFlags, renderTrailingFlagWarning } from '../../src/cli/flags.js';
import type { FlagSpec } from '../../src/cli/flags.js';
import { SecretrunError } from '../../src/errors.js';

const specs = [
  { name: 'version', kind: 'int', usage: 'Version to read.', default: 0 },
  { name: 'cas', kind: 'int', usage: 'Check-and-set.', default: -1 },
  { name: 'field', kind: 'string', usage: 'Print only this field.' },
  { name: 'format', kind: 'string', usage: 'Output format.', default: 'table' },
  { name: 'detailed', kind: 'bool', usage: 'More columns.' },
  { name: 'versions', kind: 'list', usage: 'Versions.' },
  { name: 'custom-metadata', kind: 'map', usage: 'Metadata.' },
  { name: 'namespace', kind: 'string', usage: 'Namespace.', aliases: ['ns'] },
] as const satisfies readonly FlagSpec[];

function usageError(argv: string[]): SecretrunError {
  try {
    parseFlags(specs, argv, { command: 'kv get' });
  } catch (error) {
    if (error instanceof SecretrunError) return error;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseFlags', () => {
  it('returns defaults when no flag is given', () => {
    const parsed = parseFlags(specs, ['secret/foo']);
    expect(parsed.flags).toEqual({
      version: 0,
      cas: -1,
      field: '',
      format: 'table',
      detailed: false,
      versions: [],
      'custom-metadata': {},
      namespace: '',
    });
    expect(parsed.args).toEqual(['secret/foo']);
    expect(parsed.given.size).toBe(0);
    expect(parsed.warning).toBeUndefined();
    expect(parsed.help).toBe(false);
  });

  it('accepts -f=v, -f v, --f=v and --f v', () => {
    const parsed = parseFlags(specs, ['-version=2', '--field', 'passcode', '--format=json', '-cas', '3', 'secret/foo']);
    expect(parsed.flags.version).toBe(2);
    expect(parsed.flags.field).toBe('passcode');
    expect(parsed.flags.format).toBe('json');
    expect(parsed.flags.cas).toBe(3);
    expect([...parsed.given].sort()).toEqual(['cas', 'field', 'format', 'version']);
    expect(parsed.args).toEqual(['secret/foo']);
  });

  it('stops at the first positional and warns about flag-looking arguments after it', () => {
    const parsed = parseFlags(specs, ['secret/foo', '-field=x', '-', '-format=json', '--detailed']);
    expect(parsed.flags.field).toBe('');
    expect(parsed.args).toEqual(['secret/foo', '-field=x', '-', '-format=json', '--detailed']);
    expect(parsed.warning).toBe(
      'Command flags must be provided before positional arguments. The following arguments will not be parsed as flags: [-field=x]',
    );
  });

  it('ends flag parsing at --', () => {
    const parsed = parseFlags(specs, ['-detailed', '--', '-version=3', 'x']);
    expect(parsed.flags.detailed).toBe(true);
    expect(parsed.flags.version).toBe(0);
    expect(parsed.args).toEqual(['-version=3', 'x']);
  });

  it('treats a lone - as a positional', () => {
    expect(parseFlags(specs, ['-', 'a=b']).args).toEqual(['-', 'a=b']);
  });

  it('gives bool flags a value only with =, as Go does', () => {
    expect(parseFlags(specs, ['-detailed']).flags.detailed).toBe(true);
    expect(parseFlags(specs, ['-detailed=false']).flags.detailed).toBe(false);
    expect(parseFlags(specs, ['-detailed=T']).flags.detailed).toBe(true);
    const spaced = parseFlags(specs, ['-detailed', 'false']);
    expect(spaced.flags.detailed).toBe(true);
    expect(spaced.args).toEqual(['false']);
  });

  it('collects repeatable list and map flags, trimming list values', () => {
    const parsed = parseFlags(specs, ['-versions=1,2', '-versions', ' 3 ', '-custom-metadata=a=1', '-custom-metadata', 'b=x=y']);
    expect(parsed.flags.versions).toEqual(['1,2', '3']);
    expect(parsed.flags['custom-metadata']).toEqual({ a: '1', b: 'x=y' });
  });

  it('accepts aliases under the canonical name', () => {
    const parsed = parseFlags(specs, ['-ns=team', 'p']);
    expect(parsed.flags.namespace).toBe('team');
    expect(parsed.given.has('namespace')).toBe(true);
  });

  it('takes a negative number as the value of an int flag', () => {
    expect(parseFlags(specs, ['-cas', '-1', 'p']).flags.cas).toBe(-1);
    expect(parseFlags(specs, ['-version=0x10']).flags.version).toBe(16);
  });

  it('lets the last of a repeated scalar flag win', () => {
    expect(parseFlags(specs, ['-version=1', '-version=2']).flags.version).toBe(2);
  });

  it('reports -h and -help as a help request instead of an error', () => {
    const parsed = parseFlags(specs, ['-version=1', '-h', 'secret/foo']);
    expect(parsed.help).toBe(true);
  });

  it.each([
    [['-foo'], 'flag provided but not defined: -foo'],
    [['--foo=1', 'p'], 'flag provided but not defined: -foo'],
    [['-version=x'], 'invalid value "x" for flag -version: strconv.ParseInt: parsing "x": invalid syntax'],
    [['-version', '99999999999999999999'], 'invalid value "99999999999999999999" for flag -version: strconv.ParseInt: parsing "99999999999999999999": value out of range'],
    [['-detailed=maybe'], 'invalid boolean value "maybe" for -detailed: strconv.ParseBool: parsing "maybe": invalid syntax'],
    [['-custom-metadata=novalue'], 'invalid value for flag -custom-metadata: missing = in KV pair (not shown in case it is a secret)'],
    [['-field'], 'flag needs an argument: -field'],
    [['---x'], 'bad flag syntax: ---x'],
    [['-=x'], 'bad flag syntax: -=x'],
  ])('%j → %s', (argv, message) => {
    const error = usageError(argv);
    expect(error.code).toBe('usage');
    expect(error.message).toBe(message);
    expect(error.hint).toBe('Run "secretrun kv get -help" for the accepted flags.');
  });
});

describe('renderTrailingFlagWarning', () => {
  it('lists every trailing flag-looking argument, comma separated', () => {
    expect(renderTrailingFlagWarning(['p', '-a', '--b=1', '-output-curl-string', '-detailed=true'])).toBe(
      'Command flags must be provided before positional arguments. The following arguments will not be parsed as flags: [-a,--b=1]',
    );
  });

  it('is undefined when nothing looks like a flag', () => {
    expect(renderTrailingFlagWarning(['p', '-', 'k=-v'])).toBeUndefined();
  });
});
