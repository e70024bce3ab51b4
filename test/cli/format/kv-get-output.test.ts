import { describe, expect, it } from 'vitest';
import { renderMapHeader, renderPathHeader } from '../../../src/cli/format/headers.js';
import { renderKeyValueTable } from '../../../src/cli/format/key-value-table.js';
import { isJsonObject } from '../../../src/json.js';
import { renderWarnings } from '../../../src/cli/format/warnings.js';
import type { ApiSecret } from '../../../src/cli/format/secret-json.js';
import { creds } from './kv-get-secret.js';

// How `kv get` assembles its table output from the pieces (Vault's kv_get.go order): path
// header, Metadata section and table, blank line, Data section and table. Each ui.Info/Output
// call is one line, so every piece ends with a newline.
function renderKvGet(secret: ApiSecret, path: string): { stdout: string; stderr: string } {
  let stdout = renderPathHeader(path, 'Secret Path');
  const metadata = secret.data?.['metadata'];
  if (isJsonObject(metadata)) {
    stdout += `${renderMapHeader('Metadata', metadata)}\n${renderKeyValueTable(metadata)}\n\n`;
  }
  const data = secret.data?.['data'];
  if (isJsonObject(data)) stdout += `${renderMapHeader('Data', data)}\n${renderKeyValueTable(data)}\n`;
  return { stdout, stderr: renderWarnings(secret.warnings) };
}

describe('kv get table output assembled from the format pieces', () => {
  it('reproduces SPEC §9.5 byte for byte', () => {
    const expected = `== Secret Path ==
secret/data/creds

======= Metadata =======
Key                Value
---                -----
created_time       2022-06-15T20:23:40.067093Z
custom_metadata    <nil>
deletion_time      n/a
destroyed          false
version            1

====== Data ======
Key         Value
---         -----
passcode    my-long-passcode
`;
    expect(renderKvGet(creds, 'secret/data/creds')).toEqual({ stdout: expected, stderr: '' });
  });

  it('shows only the path and metadata for a deleted version', () => {
    const deleted: ApiSecret = {
      ...creds,
      data: { data: null, metadata: { ...creds.data?.['metadata'] as object, deletion_time: '2022-06-16T10:00:00Z' } },
      warnings: null,
    };
    const { stdout } = renderKvGet(deleted, 'secret/data/creds');
    expect(stdout).toContain('deletion_time      2022-06-16T10:00:00Z\n');
    expect(stdout).not.toContain('Data ==');
    expect(stdout.endsWith('version            1\n\n')).toBe(true);
  });
});
