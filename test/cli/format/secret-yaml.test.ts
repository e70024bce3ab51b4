import { describe, expect, it } from 'vitest';
import { compareYamlKeys, formatGoFloat, renderGoYaml } from '../../../src/cli/format/go-yaml.js';
import { renderSecretYaml } from '../../../src/cli/format/secret-yaml.js';
import { creds } from './kv-get-secret.js';

describe('renderSecretYaml', () => {
  it('renders the Secret with sorted keys, quoted timestamps and empty strings', () => {
    expect(renderSecretYaml(creds)).toBe(`data:
  data:
    passcode: my-long-passcode
  metadata:
    created_time: "2022-06-15T20:23:40.067093Z"
    custom_metadata: null
    deletion_time: ""
    destroyed: false
    version: 1
lease_duration: 0
lease_id: ""
mount_type: kv
renewable: false
request_id: 1f7c4d2e-9a3b-4c5d-8e6f-0a1b2c3d4e5f
warnings: null`);
  });

  it('does not indent sequences under their key', () => {
    expect(renderSecretYaml({ ...creds, data: null, warnings: ['one', 'two'], mount_type: undefined })).toContain(
      'warnings:\n- one\n- two',
    );
  });
});

describe('renderGoYaml', () => {
  it.each([
    ['true', '"true"'],
    ['yes', '"yes"'],
    ['Off', '"Off"'],
    ['~', '"~"'],
    ['', '""'],
    ['12', '"12"'],
    ['0x1F', '"0x1F"'],
    ['1_000', '"1_000"'],
    ['1.5e3', '"1.5e3"'],
    ['.5', '".5"'],
    ['1:20', '"1:20"'],
    ['2024-01-02', '"2024-01-02"'],
    ['tab\there', '"tab\\there"'],
    ['a: b', "'a: b'"],
    ['#x', "'#x'"],
    ['@at', "'@at'"],
    [' lead', "' lead'"],
    ["it's", "it's"],
    ['plain words', 'plain words'],
    ['x,y', 'x,y'],
    ['1f7c4d2e-9a3b', '1f7c4d2e-9a3b'],
  ])('string %j → %s', (text, expected) => {
    expect(renderGoYaml(text)).toBe(`${expected}\n`);
  });

  it('renders multi-line strings as literal blocks', () => {
    expect(renderGoYaml({ key: 'line1\nline2' })).toBe('key: |-\n  line1\n  line2\n');
    expect(renderGoYaml({ key: 'line1\nline2\n' })).toBe('key: |\n  line1\n  line2\n');
  });

  it('renders numbers as yaml.v2 does: integers plain, floats in Go %g', () => {
    expect(renderGoYaml({ a: 1, b: 2.5, c: 1234567.5, d: 1e21, e: 0.00001 })).toBe(
      'a: 1\nb: 2.5\nc: 1.2345675e+06\nd: 1e+21\ne: 1e-05\n',
    );
  });

  it('renders empty containers in flow style', () => {
    expect(renderGoYaml({ m: {}, s: [] })).toBe('m: {}\ns: []\n');
  });
});

describe('formatGoFloat', () => {
  it.each([
    [2.5, '2.5'],
    [100000.5, '100000.5'],
    [1234567.5, '1.2345675e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-1.5e-7, '-1.5e-07'],
    [1e100, '1e+100'],
  ])('%d → %s', (value, expected) => expect(formatGoFloat(value)).toBe(expected));
});

describe('compareYamlKeys', () => {
  it('orders digit runs by value and non-letters before letters', () => {
    const keys = ['a10', 'b', 'a2', 'a_b', 'ab', 'B', 'a-b'];
    expect([...keys].sort(compareYamlKeys)).toEqual(['B', 'a-b', 'a_b', 'a2', 'a10', 'ab', 'b']);
  });
});
