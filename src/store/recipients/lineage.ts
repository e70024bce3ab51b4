import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { buildKeyCheck } from '../key-derivation.js';
import type { RandomBytes } from '../keyring.js';

// Key continuity. A recipient store can be written by anyone who knows its recipients' public
// keys: someone who can push to the repository but holds no key could write a whole new store
// (own root key, stanzas for every listed recipient, own keyring and MAC) that every recipient
// opens. So whenever the root key changes, the header's lineage gets an entry holding the old
// root key wrapped under the new one. A machine remembers the key check of each store it
// opened and the checks their lineage vouched for (known-stores.ts); when the check is not one
// of them, it unwraps the lineage from the root key it now has, and needs to reach one. Only a holder of the old root key
// can write such an entry: the check is a one-way function of the key. Holders of the new root
// key learn the old ones, which gives them nothing: the keyring already holds every old data
// key. Pure.

// One link: the root key whose check is `check`, wrapped under the root key whose check is `under`.
export interface LineageEntry {
  check: string;
  under: string;
  /** base64(nonce 12 B || AES-256-GCM(old root key) 32 B || tag 16 B). */
  key: string;
}

// How many links a header keeps: a machine that missed more root-key changes than this must
// trust the store again by hand (see docs/keys.md).
export const maxLineage = 16;

const checkPattern = /^[A-Za-z0-9+/]{22}==$/;
const keyPattern = /^[A-Za-z0-9+/]{80}$/;

function wrapKey(rootKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), 'secretrun lineage v1', 32));
}

function aad(storeId: string, check: string, under: string): Buffer {
  return Buffer.from(`secretrun-lineage\0${storeId}\0${check}\0${under}`, 'utf8');
}

// The link from `oldKey` to `newKey` of store `storeId`.
export function buildLineageEntry(oldKey: Buffer, newKey: Buffer, storeId: string, random: RandomBytes): LineageEntry {
  const check = buildKeyCheck(oldKey);
  const under = buildKeyCheck(newKey);
  const nonce = random(12);
  const cipher = createCipheriv('aes-256-gcm', wrapKey(newKey), nonce);
  cipher.setAAD(aad(storeId, check, under));
  const body = Buffer.concat([cipher.update(oldKey), cipher.final()]);
  return { check, under, key: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64') };
}

// The lineage with new links appended, the oldest dropped past maxLineage.
export function extendLineage(lineage: readonly LineageEntry[], links: readonly LineageEntry[]): LineageEntry[] {
  return [...lineage, ...links].slice(-maxLineage);
}

function unwrapEntry(entry: LineageEntry, underKey: Buffer, storeId: string): Buffer | undefined {
  const bytes = Buffer.from(entry.key, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrapKey(underKey), bytes.subarray(0, 12));
    decipher.setAAD(aad(storeId, entry.check, entry.under));
    decipher.setAuthTag(bytes.subarray(44));
    const key = Buffer.concat([decipher.update(bytes.subarray(12, 44)), decipher.final()]);
    return buildKeyCheck(key) === entry.check ? key : undefined;
  } catch {
    return undefined;
  }
}

// The checks of every root key the lineage leads back to from `rootKey` (its own first): each
// link opened with a key already reached. Every link that opens is used, so the lineage of a
// merge (links from both sides' keys) is followed too.
export function walkLineage(lineage: readonly LineageEntry[], rootKey: Buffer, storeId: string): string[] {
  const reached = new Map([[buildKeyCheck(rootKey), rootKey]]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of lineage) {
      const under = reached.get(entry.under);
      if (under === undefined || reached.has(entry.check)) continue;
      const key = unwrapEntry(entry, under, storeId);
      if (key === undefined) continue;
      reached.set(entry.check, key);
      grew = true;
    }
  }
  return [...reached.keys()];
}

// Reads a header's `lineage` field; undefined when it is not a list of well-formed links.
export function parseLineage(value: unknown): LineageEntry[] | undefined {
  if (!Array.isArray(value) || value.length > maxLineage) return undefined;
  const entries: LineageEntry[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const { check, under, key } = item as Record<string, unknown>;
    if (typeof check !== 'string' || !checkPattern.test(check) || typeof under !== 'string' || !checkPattern.test(under)) return undefined;
    if (typeof key !== 'string' || !keyPattern.test(key)) return undefined;
    entries.push({ check, under, key });
  }
  return entries;
}
