import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/json.js';
import { writeConfig } from '../../src/kv/kv-v2-config.js';
import { writeData } from '../../src/kv/kv-v2-data.js';
import { writeMetadata } from '../../src/kv/kv-v2-metadata.js';
import { deleteVersions, destroyVersions } from '../../src/kv/kv-v2-versions.js';
import { writeV1 } from '../../src/kv/kv-v1.js';
import { enableMount } from '../../src/sys/mounts.js';
import { renderStoreListing } from '../../src/team/store-listing.js';
import type { StoreAccessSummary } from '../../src/team/store-listing.js';
import { createContentsStorage, scopeOf } from './contents-storage.js';

const t0 = Date.parse('2024-03-01T00:00:00Z');

function listing(contents: ReadonlyMap<string, JsonValue>, access: StoreAccessSummary = { kind: 'shared-key', passphrase: false }, read?: string[]): string {
  return renderStoreListing({
    id: 'store-listing-01',
    access,
    keyTerm: 2,
    keyCheck: 'q1w2e3r4t5y6u7i8o9p0aa==',
    keys: [...contents.keys()],
    read: (key) => {
      read?.push(key);
      return contents.get(key);
    },
    now: t0 + 1e9,
  });
}

function sample(): Map<string, JsonValue> {
  const { storage, contents } = createContentsStorage();
  const v2 = scopeOf(storage);
  writeData(v2, 'app/db', { data: { password: 'hunter2-value' } }, t0);
  writeData(v2, 'app/db', { data: { password: 'second-value' } }, t0 + 1000);
  writeData(v2, 'app/db', { data: { password: 'third-value' } }, t0 + 2000);
  deleteVersions(v2, 'app/db', { versions: [2] }, t0 + 3000);
  destroyVersions(v2, 'app/db', { versions: [1] });
  writeMetadata(v2, 'app/db', { max_versions: 5, custom_metadata: { owner: 'team-secret-owner', ticket: 'T-1' } }, t0);
  writeMetadata(v2, 'app/empty', { cas_required: true }, t0);
  writeConfig(v2, { max_versions: 20 });
  const legacy = enableMount(storage, 'legacy/', { type: 'kv-v1' }, (n) => new Uint8Array(n).fill(1));
  writeV1(scopeOf(storage, legacy.uuid), 'x', { api: 'v1-secret-value' });
  storage.put('sys/policy/acl/app', { policy: 'path "x" {}' });
  return contents();
}

describe('the git diff listing of a store', () => {
  it('lists mounts, secrets, versions and their states, and who can open the store', () => {
    expect(listing(sample())).toBe(
      [
        'secretrun store store-listing-01',
        'opens with: one shared root key (a key file, SECRETRUN_KEY or SECRETRUN_KEY_FILE)',
        'root key check: q1w2e3r4t5y6u7i8o9p0aa==',
        'data key term: 2',
        '',
        'mount legacy/ kv v1',
        'legacy/x',
        'mount secret/ kv v2',
        'secret/ config',
        'secret/app/db settings max_versions=5',
        'secret/app/db custom_metadata owner, ticket',
        'secret/app/db v1 destroyed',
        'secret/app/db v2 deleted',
        'secret/app/db v3 live current',
        'secret/app/empty settings cas_required=true',
        'secret/app/empty no versions',
        'other entries',
        'sys/policy/acl/app',
        '',
      ].join('\n'),
    );
  });

  it('never holds a value, and decrypts only the mounts table and metadata', () => {
    const read: string[] = [];
    const text = listing(sample(), undefined, read);
    for (const value of ['hunter2', 'second-value', 'third-value', 'v1-secret-value', 'team-secret-owner', 'T-1', 'path "x"']) expect(text).not.toContain(value);
    expect(read.every((key) => key === 'sys/mounts' || key.includes('/meta/'))).toBe(true);
  });

  it('changes only the lines of what changed', () => {
    const before = sample();
    const { storage, contents } = createContentsStorage(before);
    writeData(scopeOf(storage), 'app/db', { data: { password: 'fourth' } }, t0 + 5000);
    const old = listing(before).split('\n');
    const now = listing(contents()).split('\n');
    expect(old.filter((line) => !now.includes(line))).toEqual(['secret/app/db v3 live current']);
    expect(now.filter((line) => !old.includes(line))).toEqual(['secret/app/db v3 live', 'secret/app/db v4 live current']);
  });

  it('names the recipients, sorted, and the shared key while it still opens the store', () => {
    const text = listing(new Map(), {
      kind: 'recipients',
      sharedKey: true,
      recipients: [
        { name: 'bob', fp: 'bbbbbbbbbbbbbbbb', added_by: 'alice', added_at: '2024-05-02T00:00:00Z' },
        { name: 'alice', fp: 'aaaaaaaaaaaaaaaa', added_by: 'shared key', added_at: '2024-05-01T00:00:00Z' },
      ],
    });
    expect(text.split('\n').slice(1, 5)).toEqual([
      'opens with: 2 recipients',
      'recipient alice aaaaaaaaaaaaaaaa added by shared key at 2024-05-01T00:00:00Z',
      'recipient bob bbbbbbbbbbbbbbbb added by alice at 2024-05-02T00:00:00Z',
      'recipient (shared root key from before recipients)',
    ]);
    expect(listing(new Map(), { kind: 'shared-key', passphrase: true })).toContain('opens with: one shared root key (a passphrase)');
  });
});
