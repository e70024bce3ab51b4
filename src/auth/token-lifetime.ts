import { invalidRequest } from '../errors.js';
import { nanosPerSecond, renderGoDuration } from '../go/duration.js';

// How long a token lives, as Vault's framework.CalculateTTL decides it at creation, at login and
// at each renewal. Pure: the clock comes in as milliseconds since the epoch.

// The token store mount's default and maximum lease TTL: Vault's system defaults, 32 days each.
export const systemDefaultTtlSeconds = 768 * 3600;
export const systemMaxTtlSeconds = 768 * 3600;

// What a TTL is calculated from; every duration in whole seconds, 0 meaning "not set".
export interface TtlInput {
  /** A renewal's requested increment. */
  increment: number;
  /** What the token store or auth method grants: the `ttl` asked for, or the last grant. */
  backendTtl: number;
  period: number;
  /** An auth method's cap (a user's `token_max_ttl`). */
  backendMaxTtl: number;
  explicitMaxTtl: number;
  /** When the lease began (creation or login), ms; the max TTL counts from here. */
  startMs: number;
  nowMs: number;
}

// The TTL granted and Vault's warnings when it was capped.
export interface TtlGrant {
  ttl: number;
  warnings: string[];
}

// Vault's humanDuration: `1h0m0s` → `1h`, `1h0m5s` → `1h0m5s`, in warnings.
function renderHumanSeconds(seconds: number): string {
  let text = renderGoDuration(BigInt(seconds) * nanosPerSecond);
  if (text.endsWith('m0s')) text = text.slice(0, -2);
  const index = text.indexOf('h0m');
  if (index > 0) text = text.slice(0, index + 1) + text.slice(index + 3);
  return text;
}

// framework.CalculateTTL: a periodic token gets its period (capped to the max TTL) and no max
// lifetime unless an explicit max is set; any other gets the increment, else the backend's TTL,
// else the system default, capped so it never outlives start + max TTL. Times are truncated to
// whole seconds, as Go truncates them. Refuses (400) a lease already past its max.
export function calculateTtl(input: TtlInput): TtlGrant {
  const now = Math.floor(input.nowMs / 1000);
  const start = Math.floor(input.startMs / 1000);
  let maxTtl = systemMaxTtlSeconds;
  if (input.backendMaxTtl > 0 && input.backendMaxTtl < maxTtl) maxTtl = input.backendMaxTtl;
  if (input.explicitMaxTtl > 0 && input.explicitMaxTtl < maxTtl) maxTtl = input.explicitMaxTtl;
  const warnings: string[] = [];
  let ttl: number;
  let maxValid: number | undefined;
  if (input.period > 0) {
    ttl = input.period;
    if (ttl > maxTtl) {
      warnings.push(`period of "${renderHumanSeconds(ttl)}" exceeded the effective max_ttl of "${renderHumanSeconds(maxTtl)}"; period value is capped accordingly`);
      ttl = maxTtl;
    }
    if (input.explicitMaxTtl > 0) maxValid = start + input.explicitMaxTtl;
  } else {
    ttl = input.increment > 0 ? input.increment : input.backendTtl > 0 ? input.backendTtl : systemDefaultTtlSeconds;
    maxValid = start + maxTtl;
  }
  if (maxValid !== undefined) {
    const left = maxValid - now;
    if (left <= 0) throw invalidRequest('past the max TTL, cannot renew');
    if (left < ttl) {
      warnings.push(`TTL of "${renderHumanSeconds(ttl)}" exceeded the effective max_ttl of "${renderHumanSeconds(left)}"; TTL value is capped accordingly`);
      ttl = left;
    }
  }
  return { ttl, warnings };
}

// A lease's remaining seconds as Vault's leaseEntry.ttl reports them: to the expiry from now
// rounded to the second, truncated; 0 for a lease that never expires.
export function remainingSeconds(expireMs: number | null, nowMs: number): number {
  if (expireMs === null) return 0;
  return Math.trunc((expireMs - Math.round(nowMs / 1000) * 1000) / 1000);
}
