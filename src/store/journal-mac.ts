import { createHash, timingSafeEqual } from 'node:crypto';
import type { Hash } from 'node:crypto';

// The journal's running MAC: each line's MAC is HMAC-SHA-256 (RFC 2104) over the journal up to
// and including that line (every line without its mac field, each ending in "\n"). HMAC's
// inner hash runs over the journal once, and a line's MAC finishes a copy of it, so a writer
// appends in constant time and a reader verifies a whole journal with one pass of SHA-256 and
// the MACs of its last two lines (1,000 per-line HMACs cost a cold `kv get` 10-30 ms; see
// bench/journal.mjs). A line edited, dropped, duplicated or reordered, or moved from another
// journal, fails the MAC of every line after it. Pure.

// The MAC state after some lines.
export interface RunningMac {
  readonly inner: Hash;
  readonly outerKey: Buffer;
}

// The state before the first line, for `macKey` (32 bytes, shorter than SHA-256's 64-byte block).
export function startRunningMac(macKey: Buffer): RunningMac {
  const inner = Buffer.alloc(64, 0x36);
  const outer = Buffer.alloc(64, 0x5c);
  for (let i = 0; i < macKey.length; i++) {
    inner[i] = (inner[i] as number) ^ (macKey[i] as number);
    outer[i] = (outer[i] as number) ^ (macKey[i] as number);
  }
  return { inner: createHash('sha256').update(inner), outerKey: outer };
}

// The state after one more line body (given without its "\n"), leaving `state` as it was.
export function extendRunningMac(state: RunningMac, body: string | Uint8Array): RunningMac {
  return { inner: state.inner.copy().update(body).update('\n'), outerKey: state.outerKey };
}

// Adds a line body to `state` in place (a reader's pass, which never goes back).
export function updateRunningMac(state: RunningMac, body: string | Uint8Array): void {
  state.inner.update(body).update('\n');
}

// The MAC of everything `state` has seen, as stored (base64).
export function finishRunningMac(state: RunningMac): string {
  return createHash('sha256').update(state.outerKey).update(state.inner.copy().digest()).digest('base64');
}

// Does `mac` (as stored) match what `state` has seen? Constant time.
export function checkRunningMac(state: RunningMac, mac: string): boolean {
  const expected = Buffer.from(finishRunningMac(state), 'base64');
  const actual = Buffer.from(mac, 'base64');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
