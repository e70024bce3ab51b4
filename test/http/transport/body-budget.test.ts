import { describe, expect, it } from 'vitest';
import { createBodyBudget } from '../../../src/http/transport/body-budget.js';

describe('createBodyBudget', () => {
  it('reserves what fits and refuses what does not', () => {
    const budget = createBodyBudget(100);
    expect(budget.tryReserve(60)).toBe(true);
    expect(budget.tryReserve(50)).toBe(false);
    expect(budget.tryReserve(40)).toBe(true);
    expect(budget.reserved).toBe(100);
    budget.release(100);
    expect(budget.reserved).toBe(0);
  });

  it('grants waiters first come, first served, and makes newcomers queue behind them', () => {
    const budget = createBodyBudget(100);
    const granted: string[] = [];
    expect(budget.tryReserve(90)).toBe(true);
    budget.wait(80, () => granted.push('large'));
    budget.wait(10, () => granted.push('small'));
    // Free bytes exist (10), but a waiter is first in line.
    expect(budget.tryReserve(5)).toBe(false);
    expect(granted).toEqual([]);
    budget.release(90);
    expect(granted).toEqual(['large', 'small']);
    expect(budget.reserved).toBe(90);
  });

  it('lets a cancelled waiter go, and the next in line in', () => {
    const budget = createBodyBudget(100);
    const granted: string[] = [];
    budget.tryReserve(50);
    const cancel = budget.wait(80, () => granted.push('large'));
    budget.wait(40, () => granted.push('small'));
    cancel();
    expect(granted).toEqual(['small']);
    cancel();
    expect(budget.reserved).toBe(90);
  });
});
