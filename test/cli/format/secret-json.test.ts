import { describe, expect, it } from 'vitest';
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
