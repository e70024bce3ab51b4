import { describe, expect, it } from 'vitest';
import { buildLeaseSuffix, computeLeaseTtl, planRenewal, renderSeconds, retryDelayMs, systemMaxTtlSeconds, type LeaseRecord } from '../../src/sys/lease-record.js';
import { seededRandom } from '../helpers/seeded-random.js';

const lease = (issue: number, expire: number, max: number): LeaseRecord => ({
  id: 'database/creds/r/x',
  mountUuid: 'u',
  issueTime: issue,
  expireTime: expire,
  lastRenewal: null,
  maxExpireTime: max,
  renewable: true,
  internal: {},
});

describe('lease TTLs', () => {
  it("takes the role's TTLs, else the mount's, else the system's; the max caps the TTL", () => {
    expect(computeLeaseTtl({ ttl: 3600, maxTtl: 86400 }, { ttl: 0, maxTtl: 0 })).toEqual({ ttl: 3600, maxTtl: 86400 });
    expect(computeLeaseTtl({ ttl: 0, maxTtl: 0 }, { ttl: 60, maxTtl: 120 })).toEqual({ ttl: 60, maxTtl: 120 });
    expect(computeLeaseTtl({ ttl: 0, maxTtl: 0 }, { ttl: 0, maxTtl: 0 })).toEqual({ ttl: systemMaxTtlSeconds, maxTtl: systemMaxTtlSeconds });
    expect(computeLeaseTtl({ ttl: 7200, maxTtl: 100_000 }, { ttl: 0, maxTtl: 3600 })).toEqual({ ttl: 3600, maxTtl: 3600 });
  });

  it('renews by the increment, caps at the max TTL with a warning, and refuses past it', () => {
    const l = lease(0, 10_000, 60_000);
    expect(planRenewal(l, 20, 3600, 5000)).toEqual({ expireTime: 25_000, ttl: 20 });
    const capped = planRenewal(l, 3600, 10, 5000);
    expect(capped?.expireTime).toBe(60_000);
    expect(capped?.ttl).toBe(55);
    expect(capped?.warning).toBe('TTL of "1h0m0s" exceeded the effective max_ttl of "55s"; TTL value is capped accordingly');
    expect(planRenewal(l, 0, 10, 5000)).toEqual({ expireTime: 15_000, ttl: 10 });
    expect(planRenewal(l, 10, 10, 60_000)).toBeUndefined();
  });

  it('renders Go durations and backs off up to five minutes', () => {
    expect(renderSeconds(3600)).toBe('1h0m0s');
    expect(renderSeconds(330)).toBe('5m30s');
    expect(renderSeconds(0)).toBe('0s');
    expect([1, 2, 3, 20].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 300_000]);
  });

  it('makes 24-character base62 lease suffixes', () => {
    const next = seededRandom(7);
    const random = (size: number): Uint8Array => Uint8Array.from({ length: size }, () => Math.floor(next() * 256));
    const suffixes = new Set(Array.from({ length: 50 }, () => buildLeaseSuffix(random)));
    expect(suffixes.size).toBe(50);
    for (const suffix of suffixes) expect(suffix).toMatch(/^[A-Za-z0-9]{24}$/);
  });
});
