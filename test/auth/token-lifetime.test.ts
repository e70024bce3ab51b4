import { describe, expect, it } from 'vitest';
import { calculateTtl, remainingSeconds, systemMaxTtlSeconds } from '../../src/auth/token-lifetime.js';

const hour = 3600;
const base = { increment: 0, backendTtl: 0, period: 0, backendMaxTtl: 0, explicitMaxTtl: 0, startMs: 1_000_000, nowMs: 1_000_000 };

describe('calculateTtl (Vault framework.CalculateTTL)', () => {
  it('grants the asked TTL, else the system default of 768h', () => {
    expect(calculateTtl({ ...base, backendTtl: hour })).toEqual({ ttl: hour, warnings: [] });
    expect(calculateTtl(base)).toEqual({ ttl: 768 * hour, warnings: [] });
  });

  it('caps a TTL at the system max, an explicit max or an auth method max, with Vault\'s warning', () => {
    expect(calculateTtl({ ...base, backendTtl: 1000 * hour })).toEqual({
      ttl: systemMaxTtlSeconds,
      warnings: ['TTL of "1000h" exceeded the effective max_ttl of "768h"; TTL value is capped accordingly'],
    });
    expect(calculateTtl({ ...base, backendTtl: 2 * hour, explicitMaxTtl: 90 * 60 }).ttl).toBe(90 * 60);
    expect(calculateTtl({ ...base, backendTtl: 2 * hour, backendMaxTtl: hour }).warnings).toEqual(['TTL of "2h" exceeded the effective max_ttl of "1h"; TTL value is capped accordingly']);
  });

  it('counts the max from the start of the lease: renewals shrink toward it, then are refused', () => {
    const renewal = { ...base, backendTtl: hour, explicitMaxTtl: 2 * hour };
    expect(calculateTtl({ ...renewal, nowMs: base.startMs + 30 * 60_000 }).ttl).toBe(hour);
    expect(calculateTtl({ ...renewal, increment: hour, nowMs: base.startMs + 90 * 60_000 }).ttl).toBe(30 * 60);
    expect(() => calculateTtl({ ...renewal, nowMs: base.startMs + 2 * hour * 1000 })).toThrow('past the max TTL, cannot renew');
  });

  it('gives a periodic token its period every time, capped at the max, and no lifetime cap unless explicit', () => {
    expect(calculateTtl({ ...base, period: hour, increment: 5 * hour, nowMs: base.startMs + 800 * hour * 1000 }).ttl).toBe(hour);
    expect(calculateTtl({ ...base, period: 1000 * hour }).warnings).toEqual(['period of "1000h" exceeded the effective max_ttl of "768h"; period value is capped accordingly']);
    expect(calculateTtl({ ...base, period: hour, explicitMaxTtl: 90 * 60, nowMs: base.startMs + hour * 1000 }).ttl).toBe(30 * 60);
  });

  it('truncates times to whole seconds, as Go does', () => {
    expect(calculateTtl({ ...base, backendTtl: 10, explicitMaxTtl: 10, startMs: 1_000_900, nowMs: 1_001_100 }).ttl).toBe(9);
  });
});

describe('remainingSeconds', () => {
  it('counts to the expiry from now rounded to the second; 0 when it never expires', () => {
    expect(remainingSeconds(10_000, 0)).toBe(10);
    expect(remainingSeconds(10_000, 400)).toBe(10);
    expect(remainingSeconds(10_000, 600)).toBe(9);
    expect(remainingSeconds(null, 600)).toBe(0);
  });
});
