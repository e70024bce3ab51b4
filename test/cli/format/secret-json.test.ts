import { describe, expect, it } from 'vitest';
import { renderGoJson } from '../../../src/cli/format/go-json.js';
import { renderSecretJson } from '../../../src/cli/format/secret-json.js';
import { creds } from './kv-get-secret.js';

describe('renderSecretJson', () => {
  it('renders the Secret in api.Secret field order with two-space indent', () => {
    expect(renderSecretJson(creds)).toBe(`{
  "request_id": "1f7c4d2e-9a3b-4c5d-8e6f-0a1b2c3d4e5f",
  "lease_id": "",
  "lease_duration": 0,
  "renewable": false,
  "data": {
    "data": {
      "passcode": "my-long-passcode"
    },
    "metadata": {
      "created_time": "2022-06-15T20:23:40.067093Z",
      "custom_metadata": null,
      "deletion_time": "",
      "destroyed": false,
      "version": 1
    }
  },
  "warnings": null,
  "mount_type": "kv"
}`);
  });

  it('omits an empty mount_type and keeps warnings as an array', () => {
    const text = renderSecretJson({ ...creds, data: null, warnings: ['careful'], mount_type: '' });
    expect(text).toBe(`{
  "request_id": "1f7c4d2e-9a3b-4c5d-8e6f-0a1b2c3d4e5f",
  "lease_id": "",
  "lease_duration": 0,
  "renewable": false,
  "data": null,
  "warnings": [
    "careful"
  ]
}`);
  });

  it('puts auth fields in api.SecretAuth order', () => {
    const text = renderSecretJson({ ...creds, data: null, mount_type: undefined, auth: { renewable: true, client_token: 't', accessor: 'a' } });
    expect(text).toContain('"auth": {\n    "client_token": "t",\n    "accessor": "a",\n    "renewable": true\n  }');
  });
});

describe('renderGoJson', () => {
  it('sorts map keys in Go order, numeric-looking keys included', () => {
    expect(renderGoJson({ b: 1, '10': 2, '9': 3, a: [] })).toBe('{\n  "10": 2,\n  "9": 3,\n  "a": [],\n  "b": 1\n}');
  });

  it('escapes <, >, &, U+2028 and U+2029 as Go does, and empty containers inline', () => {
    expect(renderGoJson({ html: '<a href="x">&</a>', sep: '\u2028\u2029', empty: {} })).toBe(
      '{\n  "empty": {},\n  "html": "\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e",\n  "sep": "\\u2028\\u2029"\n}',
    );
  });

  it('renders scalars and replaces lone surrogates', () => {
    expect(renderGoJson('x')).toBe('"x"');
    expect(renderGoJson(2.5)).toBe('2.5');
    expect(renderGoJson(null)).toBe('null');
    expect(renderGoJson('a\ud800b')).toBe('"a\ufffdb"');
    expect(renderGoJson('tab\tnl\n')).toBe('"tab\\tnl\\n"');
  });
});
