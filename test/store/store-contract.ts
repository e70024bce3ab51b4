import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import type { JsonValue } from '../../src/json.js';
import type { Storage, Store } from '../../src/store/storage.js';

// The Store contract: what every store promises the engines above it, run over each store
// (test/store/memory-store.test.ts, test/store/file-store.test.ts) as Vault runs one suite over
// each physical backend. A store that passes can stand in for any other.

// Makes a fresh, empty, writable store for one test.
export type StoreFactory = () => Promise<Store>;

// For a store other processes can open too (a file): opens another store over the same data,
// as another process would (the CLI beside a server).
export type StoreReopener = (store: Store) => Promise<Store>;

async function internalError(action: () => unknown): Promise<SecretrunError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretrunError);
    expect((error as SecretrunError).code).toBe('internal');
    return error as SecretrunError;
  }
  throw new Error('expected a SecretrunError, but nothing was thrown');
}

const everyKind: Record<string, JsonValue> = {
  string: 'PLAINTEXT-é-😀',
  empty: '',
  number: -12.5,
  zero: 0,
  true: true,
  false: false,
  null: null,
  array: ['x', 1, [true, null], { deep: 'y' }],
  object: { a: { b: { c: ['d'] } }, 'weird key "\\\n': 'v' },
};

// Keys whose UTF-16 order differs from their code point (UTF-8 byte, Go string) order: an
// astral character is a surrogate pair (0xD800..0xDFFF) below U+E000..U+FFFF in UTF-16.
const codePointOrder = ['k/', 'k/A', 'k/Z', 'k/a', 'k/a/b', 'k/ab', 'k/~', 'k/é', 'k/\u{E000}', 'k/\u{FFFD}', 'k/\u{10000}', 'k/😀', 'k/😀x'];

export function describeStoreContract(name: string, makeStore: StoreFactory, reopen?: StoreReopener): void {
  describe(`Store contract: ${name}`, () => {
    // Only a store with files has other openers; the memory store has none.
    if (reopen !== undefined) it('shows every acknowledged write to another opener at once, and its writes back', async () => {
      const store = await makeStore();
      await store.update((s) => (s.put('a', 1), s.put('b', { x: ['y'] })));
      await store.update((s) => (s.put('a', 2), s.delete('b'), s.put('c', 3)));
      const other = await reopen(store);
      expect(await other.read((s) => [s.get('a'), s.get('b'), s.list('')])).toEqual([2, undefined, ['a', 'c']]);
      await other.update((s) => (s.put('a', 'other'), s.put('d', 4)));
      await store.update((s) => s.put('c', (s.get('c') as number) + 1));
      expect(await store.read((s) => [s.get('a'), s.list('')])).toEqual(['other', ['a', 'c', 'd']]);
      expect(await other.read((s) => [s.get('c'), s.get('d')])).toEqual([4, 4]);
      await other.close();
      await store.close();
    });

    it('gets what was put, undefined for a missing key, and nothing after a delete', async () => {
      const store = await makeStore();
      expect(await store.read((s) => s.get('missing'))).toBeUndefined();
      await store.update((s) => {
        for (const [key, value] of Object.entries(everyKind)) s.put(`v/${key}`, value);
      });
      for (const [key, value] of Object.entries(everyKind)) expect(await store.read((s) => s.get(`v/${key}`))).toEqual(value);
      await store.update((s) => s.put('v/string', 'replaced'));
      expect(await store.read((s) => s.get('v/string'))).toBe('replaced');
      await store.update((s) => {
        s.delete('v/string');
        s.delete('v/never-there');
      });
      expect(await store.read((s) => s.get('v/string'))).toBeUndefined();
      expect(await store.read((s) => s.list('v/'))).toHaveLength(Object.keys(everyKind).length - 1);
    });

    it('returns what the transaction function returns', async () => {
      const store = await makeStore();
      expect(await store.update((s) => (s.put('a', 1), 'written'))).toBe('written');
      expect(await store.read((s) => ({ a: s.get('a') }))).toEqual({ a: 1 });
    });

    it('lists every key under a prefix, at any depth, and nothing else', async () => {
      const store = await makeStore();
      await store.update((s) => {
        for (const key of ['a/1', 'a/2/x', 'a/2/y/z', 'ab', 'b/1', 'a']) s.put(key, key);
      });
      expect(await store.read((s) => s.list('a/'))).toEqual(['a/1', 'a/2/x', 'a/2/y/z']);
      expect(await store.read((s) => s.list('a'))).toEqual(['a', 'a/1', 'a/2/x', 'a/2/y/z', 'ab']);
      expect(await store.read((s) => s.list(''))).toEqual(['a', 'a/1', 'a/2/x', 'a/2/y/z', 'ab', 'b/1']);
      expect(await store.read((s) => s.list('c'))).toEqual([]);
    });

    it('lists in code point order (Go byte order), committed and inside a transaction', async () => {
      const store = await makeStore();
      const shuffled = [...codePointOrder].reverse();
      await store.update((s) => {
        for (const key of shuffled.slice(0, 7)) s.put(key, 1);
      });
      const inside = await store.update((s) => {
        for (const key of shuffled.slice(7)) s.put(key, 1);
        return s.list('k/');
      });
      expect(inside).toEqual(codePointOrder);
      expect(await store.read((s) => s.list('k/'))).toEqual(codePointOrder);
      expect(await store.read((s) => s.list('k/😀'))).toEqual(['k/😀', 'k/😀x']);
      // One committed key replaced and one deleted inside a transaction keep the order too.
      const after = await store.update((s) => {
        s.delete('k/a');
        s.put('k/\u{FFFD}', 2);
        return s.list('k/');
      });
      expect(after).toEqual(codePointOrder.filter((k) => k !== 'k/a'));
    });

    it('sees its own writes and deletes inside a transaction', async () => {
      const store = await makeStore();
      await store.update((s) => ['a', 'b'].forEach((k) => s.put(k, k)));
      const seen = await store.update((s) => {
        s.put('c', 'c');
        s.delete('a');
        return [s.get('a'), s.get('c'), s.list('')];
      });
      expect(seen).toEqual([undefined, 'c', ['b', 'c']]);
    });

    it('stores copies: editing a value after put or after get changes nothing stored', async () => {
      const store = await makeStore();
      const value = { list: ['a'], nested: { n: 1 } };
      const inside = await store.update((s) => {
        s.put('k', value);
        value.list.push('edited after put');
        const got = s.get('k') as { list: string[] };
        got.list.push('edited after get');
        return s.get('k');
      });
      expect(inside).toEqual({ list: ['a'], nested: { n: 1 } });
      const read = (await store.read((s) => s.get('k'))) as { nested: { n: number } };
      read.nested.n = 2;
      expect(await store.read((s) => s.get('k'))).toEqual({ list: ['a'], nested: { n: 1 } });
    });

    it('refuses writes inside a read with a SecretrunError, changing nothing', async () => {
      const store = await makeStore();
      await store.update((s) => s.put('a', 1));
      await internalError(() => store.read((s) => s.put('a', 2)));
      await internalError(() => store.read((s) => s.delete('a')));
      expect(await store.read((s) => s.get('a'))).toBe(1);
    });

    it('writes nothing for a transaction that throws, and passes its error on unchanged', async () => {
      const store = await makeStore();
      await store.update((s) => s.put('a', 1));
      const thrown = new Error('abort');
      const error = await store
        .update((s) => {
          s.put('a', 2);
          s.put('b', 2);
          s.delete('a');
          throw thrown;
        })
        .catch((e: unknown) => e);
      expect(error).toBe(thrown);
      expect(await store.read((s) => [s.get('a'), s.get('b'), s.list('')])).toEqual([1, undefined, ['a']]);
      await store.update((s) => s.put('c', 3));
      expect(await store.read((s) => s.list(''))).toEqual(['a', 'c']);
    });

    it('rejects asynchronous transaction functions, writing nothing, before or after their await', async () => {
      const store = await makeStore();
      await internalError(() =>
        store.update(async (s) => {
          s.put('before-await', 1);
          await Promise.resolve();
          s.put('after-await', 1);
        }),
      );
      await internalError(() => store.read(async (s) => s.get('x')));
      // Let the abandoned function run to its end: its late write must land nowhere.
      await new Promise((resolve) => setImmediate(resolve));
      await store.update((s) => s.put('other', 1));
      expect(await store.read((s) => s.list(''))).toEqual(['other']);
    });

    it('refuses a view used after its transaction ended', async () => {
      const store = await makeStore();
      let kept: Storage | undefined;
      await store.update((s) => {
        kept = s;
        s.put('a', 1);
      });
      await internalError(() => kept?.put('b', 2));
      await internalError(() => kept?.get('a'));
      let read: Storage | undefined;
      await store.read((s) => (read = s));
      await internalError(() => read?.list(''));
      expect(await store.read((s) => s.list(''))).toEqual(['a']);
    });

    it('runs concurrent transactions of one process one at a time, losing none', async () => {
      const store = await makeStore();
      const count = 20;
      const results = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          store.update((s) => {
            const n = (s.get('counter') as number | undefined) ?? 0;
            s.put('counter', n + 1);
            // Two keys always written together: no read may see one without the other.
            s.put('pair/a', i);
            s.put('pair/b', i);
            return n;
          }),
        ),
      );
      expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
      expect(await store.read((s) => s.get('counter'))).toBe(count);
    });

    it('never shows a read half of a concurrent transaction', async () => {
      const store = await makeStore();
      await store.update((s) => (s.put('pair/a', 0), s.put('pair/b', 0)));
      const writes = Array.from({ length: 10 }, (_, i) => store.update((s) => (s.put('pair/a', i + 1), s.put('pair/b', i + 1))));
      const reads = Array.from({ length: 30 }, () => store.read((s) => [s.get('pair/a'), s.get('pair/b')]));
      await Promise.all(writes);
      for (const [a, b] of await Promise.all(reads)) expect(a).toBe(b);
      expect(await store.read((s) => s.get('pair/a'))).toBe(10);
    });

    it('refuses reads and writes once closed, with a SecretrunError', async () => {
      const store = await makeStore();
      await store.update((s) => s.put('a', 1));
      await store.close();
      await internalError(() => store.read((s) => s.get('a')));
      await internalError(() => store.update((s) => s.put('a', 2)));
      await store.close();
    });
  });
}
