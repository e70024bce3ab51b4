import { describe, expect, it } from 'vitest';
import { planCreatedToken, type CreateRequest, type Creator } from '../../src/auth/token-create.js';
import type { TokenRecord } from '../../src/auth/token-record.js';

const request: CreateRequest = {
  policies: [], noDefaultPolicy: false, noParent: false, orphanPath: false, id: undefined, displayName: '', ttl: 0, explicitMaxTtl: 0,
  period: 0, numUses: 0, renewable: true, meta: null, type: '', entityAlias: '',
};

const record = (policies: string[], extra: Partial<TokenRecord> = {}): TokenRecord => ({
  hash: 'p', accessor: 'a', policies, display_name: 'token', path: 'auth/token/create', meta: null, created_ms: 0, ttl: 3600, issue_ms: 0,
  expire_ms: 3_600_000, lease_ttl: 3600, renewable: true, last_renewal_ms: null, explicit_max_ttl: 0, max_ttl: 0, period: 0, num_uses: 0,
  parent: null, bound_cidrs: ['10.0.0.0/8'], ...extra,
});

const token = (policies: string[], sudo = false, extra: Partial<TokenRecord> = {}): Creator => ({ kind: 'token', record: record(policies, extra), sudo });
const plan = (creator: Creator, asked: Partial<CreateRequest>) => planCreatedToken(creator, { ...request, ...asked }, 'auth/token/create');

describe('planCreatedToken', () => {
  it('makes a child of the caller that inherits its policies and address bounds', () => {
    expect(plan(token(['default', 'dev']), {})).toMatchObject({ policies: ['default', 'dev'], displayName: 'token', parent: { hash: 'p' }, boundCidrs: ['10.0.0.0/8'], creatorTtl: 3600 });
    expect(plan(token(['dev']), { displayName: 'ci job/1' }).displayName).toBe('token-ci-job-1');
  });

  it('refuses what needs sudo to callers without it, in Vault\'s words', () => {
    const plain = token(['default', 'dev']);
    expect(() => plan(plain, { id: 'custom' })).toThrow('root or sudo privileges required to specify token id');
    expect(() => plan(plain, { noParent: true })).toThrow('root or sudo privileges required to create orphan token');
    expect(() => plan(plain, { period: 60 })).toThrow('root or sudo privileges required to create periodic token');
    expect(() => plan(plain, { policies: ['root'] })).toThrow('child policies must be subset of parent');
    expect(() => plan(token(['dev'], true), { policies: ['root'] })).toThrow('root tokens may not be created without parent token being root');
    expect(plan(token(['dev'], true), { noParent: true, id: 'custom', period: 60 })).toMatchObject({ id: 'custom', period: 60 });
    expect(plan(token(['dev'], true), { noParent: true }).parent).toBeUndefined();
  });

  it('refuses bad values and use-limited creators', () => {
    const root = token(['root'], true);
    expect(() => plan(root, { numUses: -1 })).toThrow('number of uses cannot be negative');
    expect(() => plan(root, { ttl: -1 })).toThrow('ttl must be positive');
    expect(() => plan(root, { explicitMaxTtl: -1 })).toThrow('explicit_max_ttl must be positive');
    expect(() => plan(root, { period: -1 })).toThrow('period must be positive');
    expect(() => plan(root, { type: 'batch' })).toThrow('batch tokens are not supported');
    expect(() => plan(root, { type: 'weird' })).toThrow("invalid 'token_type' value");
    expect(() => plan(root, { entityAlias: 'x' })).toThrow("'entity_alias' is only allowed in combination with token role");
    expect(() => plan(token(['root'], true, { num_uses: 2 }), {})).toThrow('restricted use token cannot generate child tokens');
  });

  it('lets the local key holder create orphans of any policy, root included', () => {
    expect(plan({ kind: 'local' }, {})).toMatchObject({ policies: ['root'] });
    expect(plan({ kind: 'local' }, { policies: ['dev'] })).toMatchObject({ policies: ['default', 'dev'] });
    expect(plan({ kind: 'local' }, {}).parent).toBeUndefined();
  });
});
