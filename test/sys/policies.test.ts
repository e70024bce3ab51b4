import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { deletePolicyText, listPolicyNames, readPolicyRevision, readPolicyText, writePolicyText } from '../../src/sys/policies.js';

describe('the policy table', () => {
  it('keeps texts as written, lists names in Go order, and moves the revision on every change', async () => {
    const store = createMemoryStore();
    expect(await store.read((storage) => readPolicyRevision(storage))).toBe('');
    await store.update((storage) => writePolicyText(storage, 'b-app', 'path "a" {}\n', 'r1'));
    await store.update((storage) => writePolicyText(storage, 'Z', '# raw\n', 'r2'));
    await store.update((storage) => writePolicyText(storage, 'a/nested', '', 'r3'));
    await store.read((storage) => {
      expect(listPolicyNames(storage)).toEqual(['Z', 'a/nested', 'b-app']);
      expect(readPolicyText(storage, 'b-app')).toBe('path "a" {}\n');
      expect(readPolicyText(storage, 'missing')).toBeUndefined();
      expect(readPolicyRevision(storage)).toBe('r3');
    });
    expect(await store.update((storage) => deletePolicyText(storage, 'missing', 'r4'))).toBe(false);
    expect(await store.read((storage) => readPolicyRevision(storage))).toBe('r3');
    expect(await store.update((storage) => deletePolicyText(storage, 'b-app', 'r5'))).toBe(true);
    await store.read((storage) => {
      expect(listPolicyNames(storage)).toEqual(['Z', 'a/nested']);
      expect(readPolicyRevision(storage)).toBe('r5');
    });
  });
});
