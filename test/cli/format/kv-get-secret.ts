import type { ApiSecret } from '../../../src/cli/format/secret-json.js';

// The `vault kv get secret/creds` response used in SPEC §9.5's example.
export const metadata = {
  created_time: '2022-06-15T20:23:40.067093Z',
  custom_metadata: null,
  deletion_time: '',
  destroyed: false,
  version: 1,
};

export const creds: ApiSecret = {
  request_id: '1f7c4d2e-9a3b-4c5d-8e6f-0a1b2c3d4e5f',
  lease_id: '',
  lease_duration: 0,
  renewable: false,
  data: { data: { passcode: 'my-long-passcode' }, metadata },
  warnings: null,
  mount_type: 'kv',
};
