import { describe, expect, it } from 'vitest';
import { compileAcl } from '../../src/auth/acl.js';
import { createAclCache } from '../../src/auth/acl-cache.js';
import { parsePolicy } from '../../src/auth/policy-parse.js';

describe('the ACL cache', () => {
  const acl = (): ReturnType<typeof compileAcl> => compileAcl([parsePolicy('p', 'path "a" { capabilities = ["read"] }')]);

  it('compiles a set of policies once per revision', () => {
    const cache = createAclCache();
    let builds = 0;
    const build = (): ReturnType<typeof compileAcl> => {
      builds++;
      return acl();
    };
    const first = cache.get(['default', 'p'], 1, build);
    expect(cache.get(['default', 'p'], 1, build)).toBe(first);
    expect(builds).toBe(1);
    cache.get(['default'], 1, build);
    expect(builds).toBe(2);
    expect(cache.get(['default', 'p'], 2, build)).not.toBe(first);
    expect(builds).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('keeps at most its limit, dropping the least recently used', () => {
    const cache = createAclCache(2);
    const a = cache.get(['a'], 1, acl);
    cache.get(['b'], 1, acl);
    expect(cache.get(['a'], 1, acl)).toBe(a);
    cache.get(['c'], 1, acl);
    expect(cache.size).toBe(2);
    expect(cache.get(['a'], 1, acl)).toBe(a);
    let rebuilt = false;
    cache.get(['b'], 1, () => {
      rebuilt = true;
      return acl();
    });
    expect(rebuilt).toBe(true);
  });
});
