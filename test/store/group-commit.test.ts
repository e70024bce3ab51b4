import { describe, expect, it } from 'vitest';
import { createGroupCommit, runBatch } from '../../src/store/group-commit.js';
import type { TransactionFn } from '../../src/store/group-commit.js';
import type { Storage } from '../../src/store/storage.js';
import type { JsonValue } from '../../src/json.js';

// A Storage over plain maps, as the file store's view is: `batch` under `own` over `base`.
function overlayView(base: Map<string, string>) {
  return (batch: ReadonlyMap<string, string | null>, own: Map<string, string | null>): Storage => {
    const lookup = (key: string) => (own.has(key) ? own.get(key) : batch.has(key) ? batch.get(key) : base.get(key));
    return {
      get: (key) => {
        const text = lookup(key);
        return text === undefined || text === null ? undefined : (JSON.parse(text) as JsonValue);
      },
      put: (key, value) => void own.set(key, JSON.stringify(value)),
      delete: (key) => void own.set(key, null),
      list: () => [],
    };
  };
}

describe('runBatch', () => {
  it('runs transactions in order, each over the ones before it; one that throws leaves nothing behind', () => {
    const base = new Map([['n', '1']]);
    const bump = (s: Storage) => {
      const n = (s.get('n') as number) + 1;
      s.put('n', n);
      return n;
    };
    const failing: TransactionFn = (s) => {
      s.put('n', 100);
      s.put('other', 1);
      throw new Error('abort');
    };
    const { outcomes, changes } = runBatch([bump, failing, bump, (s) => s.get('other') ?? 'absent'], overlayView(base));
    expect(outcomes.map((o) => (o.ok ? o.value : (o.error as Error).message))).toEqual([2, 'abort', 3, 'absent']);
    expect([...changes]).toEqual([['n', '3']]);
  });
});

describe('group commit', () => {
  it('makes the transactions that arrive during a pass durable together in the next, answering in order', async () => {
    const batches: number[] = [];
    let release: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => (release = resolve));
    const commit = createGroupCommit(async (take) => {
      const fns = take();
      batches.push(fns.length);
      await gate;
      return fns.map((fn) => ({ ok: true, value: fn({} as Storage) }));
    });
    const answered: number[] = [];
    const first = commit.submit(() => 0).then((v) => answered.push(v));
    await new Promise((resolve) => setImmediate(resolve));
    // The first pass is running: these wait, and go together.
    const rest = Array.from({ length: 5 }, (_, i) => commit.submit(() => i + 1).then((v) => answered.push(v)));
    expect(commit.waiting()).toBe(5);
    const done = release;
    gate = Promise.resolve();
    done();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([1, 5]);
    expect(answered).toEqual([0, 1, 2, 3, 4, 5]);
    await commit.idle();
  });

  it('fails every transaction of a pass that fails, and goes on with the next', async () => {
    let passes = 0;
    const commit = createGroupCommit(async (take) => {
      const fns = take();
      if (++passes === 1) throw new Error('disk full');
      return fns.map(() => ({ ok: true, value: 'ok' }));
    });
    const failed = await Promise.allSettled([commit.submit(() => 1), commit.submit(() => 2)]);
    expect(failed.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['disk full', 'disk full']);
    expect(await commit.submit(() => 3)).toBe('ok');
  });

  it('rejects what waits when a pass fails before taking it (the lock could not be had)', async () => {
    const commit = createGroupCommit(async () => {
      throw new Error('locked');
    });
    await expect(commit.submit(() => 1)).rejects.toThrow('locked');
    expect(commit.waiting()).toBe(0);
  });
});
