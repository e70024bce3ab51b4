import { describe, expect, it } from 'vitest';
import { createOperationQueue } from '../../src/database/operation-queue.js';

describe('createOperationQueue', () => {
  it('runs operations one after another, in order, even when one fails', async () => {
    const queue = createOperationQueue();
    const log: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run(async () => {
      log.push('first start');
      await gate;
      log.push('first end');
      throw new Error('first failed');
    });
    const second = queue.run(async () => {
      log.push('second');
      return 2;
    });
    await Promise.resolve();
    expect(log).toEqual(['first start']);
    release();
    await expect(first).rejects.toThrow('first failed');
    expect(await second).toBe(2);
    expect(log).toEqual(['first start', 'first end', 'second']);
  });
});
