import { describe, expect, it } from 'vitest';
import { renderMountsDetailedTable, renderMountsTable } from '../../../src/cli/format/mounts-table.js';
import type { MountOutput } from '../../../src/cli/format/mounts-table.js';

const mounts: Record<string, MountOutput> = {
  'sys/': { type: 'system', accessor: 'system_1a2b', description: 'system endpoints used for control, policy and debugging', config: {} },
  'secret/': {
    type: 'kv',
    accessor: 'kv_3c4d',
    description: 'key/value secret storage',
    options: { version: '2' },
    uuid: 'u-1',
    config: { default_lease_ttl: 0, max_lease_ttl: 3600 },
  },
  'cubbyhole/': { type: 'cubbyhole', accessor: 'cubbyhole_5e6f', description: 'per-token private secret storage', local: true },
  'kv1/': { type: 'kv', accessor: 'kv_7a8b', description: '', options: null },
};

describe('renderMountsTable', () => {
  it('lists mounts sorted by path with n/a for empty descriptions', () => {
    expect(renderMountsTable(mounts)).toBe(
      [
        'Path          Type         Accessor          Description',
        '----          ----         --------          -----------',
        'cubbyhole/    cubbyhole    cubbyhole_5e6f    per-token private secret storage',
        'kv1/          kv           kv_7a8b           n/a',
        'secret/       kv           kv_3c4d           key/value secret storage',
        'sys/          system       system_1a2b       system endpoints used for control, policy and debugging',
      ].join('\n'),
    );
  });
});

describe('renderMountsDetailedTable', () => {
  it('adds plugin, TTLs, replication, options and version columns', () => {
    const lines = renderMountsDetailedTable(mounts).split('\n');
    const cells = (line: string | undefined) => (line ?? '').split(/ {4,}/);
    expect(cells(lines[0])).toEqual([
      'Path',
      'Plugin',
      'Accessor',
      'Default TTL',
      'Max TTL',
      'Force No Cache',
      'Replication',
      'Seal Wrap',
      'External Entropy Access',
      'Options',
      'Description',
      'UUID',
      'Version',
      'Running Version',
      'Running SHA256',
      'Deprecation Status',
    ]);
    expect(cells(lines[2])).toEqual(['cubbyhole/', 'cubbyhole', 'cubbyhole_5e6f', 'n/a', 'n/a', 'false', 'local', 'false', 'false', 'map[]', 'per-token private secret storage', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
    expect(cells(lines[4])).toEqual(['secret/', 'kv', 'kv_3c4d', 'system', '3600', 'false', 'replicated', 'false', 'false', 'map[version:2]', 'key/value secret storage', 'u-1', 'n/a', 'n/a', 'n/a', 'n/a']);
    expect(lines).toHaveLength(6);
  });
});
