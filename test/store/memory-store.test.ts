import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('memory store', async () => createMemoryStore());

describe('memory store', () => {
  it('starts from the entries given, as copies', async () => {
    const value = { a: ['x'] };
    const store = createMemoryStore(new Map([['k', value]]));
    value.a.push('edited');
    expect(await store.read((s) => [s.get('k'), s.list('')])).toEqual([{ a: ['x'] }, ['k']]);
  });
});
