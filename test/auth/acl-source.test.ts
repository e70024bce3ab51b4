import { describe, expect, it } from 'vitest';
import { createAclCache } from '../../src/auth/acl-cache.js';
import { createAclSource } from '../../src/auth/acl-source.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { writePolicyText } from '../../src/sys/policies.js';

describe('ACLs from the policy table', () => {
  it('compiles the named policies once per revision and sees a change on the next request', async () => {
    const store = createMemoryStore();
    const cache = createAclCache();
    const source = createAclSource(cache);
    await store.update((storage) => writePolicyText(storage, 'app', 'path "secret/data/app/*" { capabilities = ["read"] }', 'r1'));
    const first = await store.read((storage) => source.aclFor(storage, ['app', 'default']));
    expect(first.decide({ path: 'secret/data/app/db', operation: 'read' }).allowed).toBe(true);
    expect(await store.read((storage) => source.aclFor(storage, ['app', 'default']))).toBe(first);
    await store.update((storage) => writePolicyText(storage, 'app', 'path "secret/data/other/*" { capabilities = ["read"] }', 'r2'));
    const second = await store.read((storage) => source.aclFor(storage, ['app', 'default']));
    expect(second).not.toBe(first);
    expect(second.decide({ path: 'secret/data/app/db', operation: 'read' }).allowed).toBe(false);
    expect(cache.size).toBe(1);
  });

  it('uses the built-in default until it is rewritten, ignores unknown names, and makes root root', async () => {
    const store = createMemoryStore();
    const source = createAclSource();
    await store.read((storage) => {
      const acl = source.aclFor(storage, ['default', 'nobody-wrote-this']);
      expect(acl.decide({ path: 'auth/token/lookup-self', operation: 'read' }).allowed).toBe(true);
      expect(acl.decide({ path: 'secret/data/x', operation: 'read' }).allowed).toBe(false);
      expect(source.aclFor(storage, ['root']).root).toBe(true);
      expect(source.aclFor(storage, []).capabilities('secret/data/x')).toEqual(['deny']);
    });
    await store.update((storage) => writePolicyText(storage, 'default', 'path "secret/data/shared" { capabilities = ["read"] }', 'r1'));
    await store.read((storage) => {
      const acl = source.aclFor(storage, ['default']);
      expect(acl.decide({ path: 'secret/data/shared', operation: 'read' }).allowed).toBe(true);
      expect(acl.decide({ path: 'auth/token/lookup-self', operation: 'read' }).allowed).toBe(false);
    });
  });

  it('fails closed on a stored text that no longer parses: that policy grants nothing', async () => {
    const store = createMemoryStore();
    await store.update((storage) => {
      writePolicyText(storage, 'broken', 'path "secret/*" { capabilities = ["reed"] }', 'r1');
      writePolicyText(storage, 'good', 'path "secret/data/ok" { capabilities = ["read"] }', 'r1');
    });
    await store.read((storage) => {
      const acl = createAclSource().aclFor(storage, ['broken', 'good']);
      expect(acl.decide({ path: 'secret/data/ok', operation: 'read' }).allowed).toBe(true);
      expect(acl.decide({ path: 'secret/data/other', operation: 'read' }).allowed).toBe(false);
    });
  });
});
