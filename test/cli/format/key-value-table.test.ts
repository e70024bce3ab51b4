import { describe, expect, it } from 'vitest';
import { renderKeyValueTable } from '../../../src/cli/format/key-value-table.js';

describe('renderKeyValueTable', () => {
  it('sorts keys, renders %v values and n/a for empty strings', () => {
    const table = renderKeyValueTable({
      version: 1,
      destroyed: false,
      deletion_time: '',
      custom_metadata: null,
      created_time: '2022-06-15T20:23:40.067093Z',
    });
    expect(table).toBe(
      [
        'Key                Value',
        '---                -----',
        'created_time       2022-06-15T20:23:40.067093Z',
        'custom_metadata    <nil>',
        'deletion_time      n/a',
        'destroyed          false',
        'version            1',
      ].join('\n'),
    );
  });

  it('humanises integer seconds under duration-like keys only', () => {
    expect(renderKeyValueTable({ token_ttl: 2764800, ttl: '1h', max_versions: 3600, period: 5400 })).toBe(
      [
        'Key             Value',
        '---             -----',
        'max_versions    3600',
        'period          1h30m',
        'token_ttl       768h',
        'ttl             1h',
      ].join('\n'),
    );
  });

  it('prints nested values as Go maps and slices', () => {
    expect(renderKeyValueTable({ custom_metadata: { owner: 'ops', env: 'prod' }, tags: ['a', 'b'] })).toBe(
      ['Key                Value', '---                -----', 'custom_metadata    map[env:prod owner:ops]', 'tags               [a b]'].join(
        '\n',
      ),
    );
  });

  it('renders an empty map as nothing', () => {
    expect(renderKeyValueTable({})).toBe('');
  });
});
