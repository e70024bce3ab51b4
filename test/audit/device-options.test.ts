// The file device's options, checked as Vault checks them, with Vault's error texts.
import { describe, expect, it } from 'vitest';
import { checkDeviceOptions } from '../../src/audit/device-options.js';

describe('checkDeviceOptions', () => {
  it('has Vault\'s defaults: mode 0600, hashed accessors, no prefix, json', () => {
    expect(checkDeviceOptions({ file_path: '/var/log/audit.log' })).toEqual({
      target: { kind: 'file', path: '/var/log/audit.log' },
      mode: 0o600,
      prefix: '',
      logRaw: false,
      hmacAccessor: true,
      elideListResponses: false,
    });
  });

  it('takes the legacy `path` option, and stdout (`-`, any case of stdout) and discard', () => {
    expect(checkDeviceOptions({ path: 'a.log' }).target).toEqual({ kind: 'file', path: 'a.log' });
    expect(checkDeviceOptions({ file_path: '-' }).target).toEqual({ kind: 'stdout' });
    expect(checkDeviceOptions({ file_path: 'STDOUT' }).target).toEqual({ kind: 'stdout' });
    expect(checkDeviceOptions({ file_path: 'Discard' }).target).toEqual({ kind: 'discard' });
  });

  it('parses booleans as Go does and names a bad one', () => {
    expect(checkDeviceOptions({ file_path: 'a', log_raw: 'T', hmac_accessor: '0', elide_list_responses: 'true' })).toMatchObject({
      logRaw: true,
      hmacAccessor: false,
      elideListResponses: true,
    });
    expect(() => checkDeviceOptions({ file_path: 'a', log_raw: 'yes' })).toThrow('unable to parse "log_raw": invalid configuration');
    expect(() => checkDeviceOptions({ file_path: 'a', hmac_accessor: 'nope' })).toThrow('unable to parse "hmac_accessor": invalid configuration');
  });

  it('reads the mode in octal, never executable, 0000 keeping an existing file\'s mode', () => {
    expect(checkDeviceOptions({ file_path: 'a', mode: '0640' }).mode).toBe(0o640);
    expect(checkDeviceOptions({ file_path: 'a', mode: '755' }).mode).toBe(0o644);
    expect(checkDeviceOptions({ file_path: 'a', mode: '0000' }).mode).toBeUndefined();
    expect(() => checkDeviceOptions({ file_path: 'a', mode: '0x1ff' })).toThrow('unable to parse "mode"');
    expect(() => checkDeviceOptions({ file_path: 'a', mode: '0999' })).toThrow('unable to parse "mode"');
  });

  it('requires a file path', () => {
    expect(() => checkDeviceOptions({})).toThrow('"file_path" is required: invalid configuration');
    expect(() => checkDeviceOptions({ file_path: '  ' })).toThrow('file path is required');
  });

  it('writes json only: jsonx is refused with a way out, anything else as Vault refuses it', () => {
    expect(checkDeviceOptions({ file_path: 'a', format: 'json' }).target.kind).toBe('file');
    expect(() => checkDeviceOptions({ file_path: 'a', format: 'jsonx' })).toThrow('the jsonx audit format is not supported');
    expect(() => checkDeviceOptions({ file_path: 'a', format: 'xml' })).toThrow('unsupported "format": invalid configuration');
  });
});
