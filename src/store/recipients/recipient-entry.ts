import type { RandomBytes } from '../keyring.js';
import { parsePublicKey, renderPublicKey } from './identity.js';
import { parseStanza, wrapRootKey } from './stanza.js';
import type { Stanza } from './stanza.js';

// One recipient of a store, as its header will list it: who (a name people chose, the public
// key), who added it and when, and the root key wrapped for it. Everything but the stanza is for
// people (`recipients list`, `git diff`); the public key is also how this machine finds its
// stanza, and what a removal wraps a new root key for. The fingerprint is not stored: it is
// computed from the public key where it is shown, so the two can never disagree, and opening a
// store hashes nothing. Pure.

// A recipient in the header (JSON field names as stored).
export interface RecipientEntry {
  name: string;
  /** `age1…`, canonical (lower case, as renderPublicKey writes it). */
  public_key: string;
  /** The name of the recipient whose key added this one, or "shared key" for a conversion. */
  added_by: string;
  /** RFC 3339, UTC, seconds. */
  added_at: string;
  stanza: Stanza;
}

const namePattern = /^[\p{L}\p{N}][\p{L}\p{N} ._@+-]{0,63}$/u;

// What is wrong with a recipient name, or undefined when it is acceptable: 1 to 64 letters,
// digits, spaces and `._@+-`, starting with a letter or digit (names are shown in lists and
// diffs, so no control characters or quotes).
export function checkRecipientName(name: string): string | undefined {
  return namePattern.test(name) ? undefined : 'a recipient name is 1 to 64 letters, digits, spaces or ._@+- and starts with a letter or digit';
}

function renderTime(now: number): string {
  return new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// What adding a recipient needs; `publicKey` is the decoded `age1…` key.
export interface NewRecipient {
  name: string;
  publicKey: Buffer;
  addedBy: string;
  now: number;
}

// A recipient entry with the root key wrapped for it; undefined when the public key cannot
// share a secret (a low-order point).
export function buildRecipientEntry(recipient: NewRecipient, rootKey: Buffer, storeId: string, random: RandomBytes): RecipientEntry | undefined {
  const stanza = wrapRootKey(rootKey, recipient.publicKey, storeId, random);
  if (stanza === undefined) return undefined;
  return {
    name: recipient.name,
    public_key: renderPublicKey(recipient.publicKey),
    added_by: recipient.addedBy,
    added_at: renderTime(recipient.now),
    stanza,
  };
}

// The same recipients with a new root key wrapped for each (a removal, or rotating the root
// key); names, fingerprints and who added them stay.
export function rewrapRecipients(entries: readonly RecipientEntry[], rootKey: Buffer, storeId: string, random: RandomBytes): RecipientEntry[] {
  return entries.map((entry) => {
    const publicKey = parsePublicKey(entry.public_key);
    const stanza = publicKey.ok ? wrapRootKey(rootKey, publicKey.key, storeId, random) : undefined;
    // Entries come from a parsed header, whose keys were checked; a failure here is a bug.
    if (stanza === undefined) throw new RangeError(`recipient ${entry.public_key} has an unusable public key`);
    return { ...entry, stanza };
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Reads the header's `recipients` field: the entries, or what is wrong (for an integrity error).
// Names and keys must be unique, so a list cannot show one key under two names or two keys
// under one.
export function parseRecipientEntries(value: unknown): { ok: true; entries: RecipientEntry[] } | { ok: false; problem: string } {
  if (!Array.isArray(value) || value.length === 0) return { ok: false, problem: 'its recipients are not a non-empty list' };
  const entries: RecipientEntry[] = [];
  const names = new Set<string>();
  const keys = new Set<string>();
  for (const [index, item] of value.entries()) {
    const where = `recipient ${index + 1}`;
    if (!isRecord(item)) return { ok: false, problem: `${where} is not an object` };
    const { name, public_key: publicText, added_by: addedBy, added_at: addedAt } = item;
    if (typeof name !== 'string' || checkRecipientName(name) !== undefined) return { ok: false, problem: `${where} has no valid name` };
    const publicKey = typeof publicText === 'string' ? parsePublicKey(publicText) : undefined;
    if (publicKey === undefined || !publicKey.ok || publicText !== renderPublicKey(publicKey.key)) return { ok: false, problem: `${where} has no valid public key` };
    if (typeof addedBy !== 'string' || typeof addedAt !== 'string' || Number.isNaN(Date.parse(addedAt))) return { ok: false, problem: `${where} has no valid added_by or added_at` };
    const stanza = parseStanza(item['stanza']);
    if (stanza === undefined) return { ok: false, problem: `${where} has a malformed stanza` };
    if (names.has(name) || keys.has(publicText as string)) return { ok: false, problem: `${where} repeats a name or a key` };
    names.add(name);
    keys.add(publicText as string);
    entries.push({ name, public_key: publicText as string, added_by: addedBy, added_at: addedAt, stanza });
  }
  return { ok: true, entries };
}
