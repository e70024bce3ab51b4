import { createHmac } from 'node:crypto';

// How audit devices hide values (Vault's sdk/helper/salt and audit/hashstructure.go): an HMAC
// under the device's salt, so that a log line never holds a secret, a password or a token,
// yet whoever holds a candidate value can find it in the log (`sys/audit-hash`).

// Replaces one value with its identified HMAC.
export type Hasher = (value: string) => string;

// `hmac-sha256:` + hex HMAC-SHA256 of `value`, keyed with the salt's text (GetIdentifiedHMAC).
export function hashAuditValue(salt: string, value: string): string {
  return `hmac-sha256:${createHmac('sha256', salt).update(value).digest('hex')}`;
}

// How many hashes a hasher remembers, and the longest value it remembers one for.
const cacheEntries = 2048;
const cacheableLength = 256;

// A hasher for one salt. It remembers the hashes of recent short values: a server hashes the
// same token and the same secret values on every request, and an HMAC costs more than the rest
// of an entry (bench/server.mjs --audit). The values it keys on are ones this process already
// holds in memory (its store's cache, its requests); the map lives as long as the device.
export function createHasher(salt: string): Hasher {
  const known = new Map<string, string>();
  return (value) => {
    const cached = known.get(value);
    if (cached !== undefined) return cached;
    const hash = hashAuditValue(salt, value);
    if (value.length <= cacheableLength) {
      if (known.size >= cacheEntries) known.clear();
      known.set(value, hash);
    }
    return hash;
  };
}
