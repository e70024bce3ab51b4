import type { JsonValue } from '../json.js';
import { decodeKeyMetadata, versionStatus } from '../kv/key-metadata.js';
import { buildFingerprint, parsePublicKey } from '../store/recipients/identity.js';
import type { RecipientEntry } from '../store/recipients/recipient-entry.js';
import type { Storage } from '../store/storage.js';
import { parseStorageKey } from '../team/storage-key.js';
import { renderColumns } from './format/columns.js';

// What `secretrun recipients` prints: the recipients of a store (read from its header, no key
// needed), and after a removal how many secrets the removed key could read. Pure.

// One recipient as listed.
export interface RecipientRow {
  name: string;
  fingerprint: string;
  public_key: string;
  added_by: string;
  added_at: string;
}

// The rows of a header's recipients, with fingerprints computed from the public keys.
export function buildRecipientRows(recipients: readonly RecipientEntry[]): RecipientRow[] {
  return recipients.map((r) => {
    const key = parsePublicKey(r.public_key);
    return { name: r.name, fingerprint: key.ok ? buildFingerprint(key.key) : '?', public_key: r.public_key, added_by: r.added_by, added_at: r.added_at };
  });
}

// The table form: a row per recipient, then whether the shared root key still opens the store.
export function renderRecipientTable(path: string, rows: readonly RecipientRow[], sharedKey: boolean): string {
  if (rows.length === 0) return `${path} has no recipients: it opens with one shared root key (\`secretrun recipients add NAME PUBLIC_KEY\` converts it)\n`;
  const table = renderColumns(['Name|Fingerprint|Public Key|Added By|Added At', ...rows.map((r) => `${r.name}|${r.fingerprint}|${r.public_key}|${r.added_by}|${r.added_at}`)]);
  const shared = sharedKey ? '\nThe shared root key still opens this store (`secretrun recipients remove -shared-key` ends it).' : '';
  return `${table}${shared}\n`;
}

// How many secrets have a version that can still be read (KV v2) or a value (KV v1): what a
// removed recipient must be assumed to know.
export function countLiveSecrets(storage: Storage, now: number): number {
  let count = 0;
  for (const key of storage.list('kv/')) {
    const kind = parseStorageKey(key);
    if (kind.kind === 'kv-v1') count++;
    if (kind.kind !== 'kv-meta') continue;
    const meta = decodeKeyMetadata(storage.get(key) as JsonValue);
    if (Object.values(meta.versions).some((record) => versionStatus(record, now) === 'live')) count++;
  }
  return count;
}
