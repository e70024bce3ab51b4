import type { JsonObject } from '../json.js';

// A lease: Vault's promise that a dynamic secret lives until `expireTime` and is then revoked
// (a database user dropped). Runtime state: it churns with every read and renewal, so it lives
// under the runtime prefix (lease-keys.ts), never in the committed store.

// What the store keeps for one lease (a plain JSON object).
export interface LeaseRecord {
  /** `<mount path>creds/<role>/<random>`, e.g. `database/creds/my-role/3mKq…`. */
  id: string;
  /** The uuid of the mount that issued it: its engine revokes it. */
  mountUuid: string;
  /** Milliseconds since the epoch. */
  issueTime: number;
  expireTime: number;
  lastRenewal: number | null;
  /** No renewal moves expireTime past this (the effective max TTL). */
  maxExpireTime: number;
  renewable: boolean;
  /** The engine's own data: the user name, role and connection, its revocation statements. */
  internal: JsonObject;
  /** Set once a revocation failed: retried at nextAttempt with backoff, never forgotten. */
  revocation?: { attempts: number; lastError: string; nextAttempt: number };
}

// Vault's system-wide default and maximum lease TTL (768h), for a mount and role that set none.
export const systemMaxTtlSeconds = 768 * 3600;

const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// 24 random base62 characters (Vault's lease id suffix), drawn without bias.
export function buildLeaseSuffix(random: (size: number) => Uint8Array): string {
  let out = '';
  while (out.length < 24) {
    for (const byte of random(32)) {
      // 248 = 4 × 62: bytes above it would favour the first characters.
      if (byte < 248 && out.length < 24) out += base62[byte % 62];
    }
  }
  return out;
}

// The TTL and max TTL (seconds) a new lease gets: the role's, else the mount's, else the
// system's; the max capped by the mount's and the TTL by the max (framework.CalculateTTL).
export function computeLeaseTtl(role: { ttl: number; maxTtl: number }, mount: { ttl: number; maxTtl: number }): { ttl: number; maxTtl: number } {
  const mountMax = mount.maxTtl > 0 ? mount.maxTtl : systemMaxTtlSeconds;
  const maxTtl = role.maxTtl > 0 ? Math.min(role.maxTtl, mountMax) : mountMax;
  const wanted = role.ttl > 0 ? role.ttl : mount.ttl > 0 ? mount.ttl : systemMaxTtlSeconds;
  return { ttl: Math.min(wanted, maxTtl), maxTtl };
}

// A renewal's outcome: the new expiry and, when the increment was cut at the max TTL, Vault's
// warning; undefined when the lease is at its max already ("past the max TTL, cannot renew").
export function planRenewal(lease: LeaseRecord, incrementSeconds: number, defaultTtlSeconds: number, now: number): { expireTime: number; ttl: number; warning?: string } | undefined {
  const wanted = incrementSeconds > 0 ? incrementSeconds : defaultTtlSeconds;
  const remainingMax = Math.floor((lease.maxExpireTime - now) / 1000);
  if (remainingMax <= 0) return undefined;
  if (wanted <= remainingMax) return { expireTime: now + wanted * 1000, ttl: wanted };
  return {
    expireTime: lease.maxExpireTime,
    ttl: remainingMax,
    warning: `TTL of "${renderSeconds(wanted)}" exceeded the effective max_ttl of "${renderSeconds(remainingMax)}"; TTL value is capped accordingly`,
  };
}

// Go's time.Duration String for whole seconds: 1h0m0s, 5m30s, 45s.
export function renderSeconds(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

// How long after the n-th failed revocation the next attempt runs: 1 s doubling, at most 5
// minutes (SECRETRUN_LEASE_RETRY_MS sets the first step, for tests and impatient operators).
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 5 * 60 * 1000);
}
