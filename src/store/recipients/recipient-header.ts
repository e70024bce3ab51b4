import { parseLineage } from './lineage.js';
import type { LineageEntry } from './lineage.js';
import { parseRecipientEntries } from './recipient-entry.js';
import type { RecipientEntry } from './recipient-entry.js';

// The fields a recipient store's header (format version 2) adds after `check`: the
// recipients, whether the shared root key still opens the store, and the lineage of its root
// key (lineage.ts). They are rendered in that order before the MAC, which covers them. Pure.

// The recipient fields of a header.
export interface RecipientFields {
  /** In the order they were added; never empty. */
  recipients: RecipientEntry[];
  /** The root key is still the one the store had before it was converted (the key file, SECRETRUN_KEY or passphrase opens it). */
  sharedKey: boolean;
  /** Proof that each earlier root key handed over to the next one; the newest last. */
  lineage: LineageEntry[];
}

// Reads the recipient fields of a parsed version 2 header, or says what is wrong with them.
export function parseRecipientFields(header: Record<string, unknown>): { ok: true; fields: RecipientFields } | { ok: false; problem: string } {
  const recipients = parseRecipientEntries(header['recipients']);
  if (!recipients.ok) return recipients;
  const sharedKey = header['shared_key'];
  if (typeof sharedKey !== 'boolean') return { ok: false, problem: 'its shared_key is not true or false' };
  const lineage = parseLineage(header['lineage'] ?? []);
  if (lineage === undefined) return { ok: false, problem: 'its lineage is malformed' };
  return { ok: true, fields: { recipients: recipients.entries, sharedKey, lineage } };
}
