import { randomBytes } from 'node:crypto';
import { SecretrunError } from '../errors.js';
import { buildFingerprint, parsePublicKey, renderPublicKey } from './recipients/identity.js';
import { buildRecipientEntry, checkRecipientName } from './recipients/recipient-entry.js';
import type { RecipientEntry } from './recipients/recipient-entry.js';
import type { LineageEntry } from './recipients/lineage.js';
import { buildRekeyedStore } from './recipients/recipient-rekey.js';
import { rewriteStore } from './store-rewrite.js';
import type { StoreOperationOptions } from './store-rewrite.js';

// Adding and removing a store's recipients (`secretrun recipients add|remove`). Both run under
// the store's lock on the verified store and change only its header: every entry line stays
// byte for byte. Adding keeps the root key (the new recipient can read everything, including
// older versions); adding to a store without recipients converts it (format version 2), the
// shared root key still opening it. Removing makes a new
// root key for the others and starts a new data-key term (recipients/recipient-rekey.ts).

// What `add` reports.
export interface RecipientAdded {
  entry: RecipientEntry;
  fingerprint: string;
  /** The store had no recipients before: it was converted. */
  converted: boolean;
}

// Adds the recipient `name` with the public key `publicKeyText` (`age1…`).
export async function addRecipient(options: StoreOperationOptions & { name: string; publicKeyText: string; now: number }): Promise<RecipientAdded> {
  const problem = checkRecipientName(options.name);
  if (problem !== undefined) throw new SecretrunError('input', `invalid recipient name ${JSON.stringify(options.name)}: ${problem}`);
  const parsed = parsePublicKey(options.publicKeyText);
  if (!parsed.ok) {
    throw new SecretrunError('input', `invalid public key for ${options.name}: ${parsed.problem}`, { hint: 'copy the age1… line that `secretrun key show` prints on their machine' });
  }
  const fingerprint = buildFingerprint(parsed.key);
  return rewriteStore(options, async (snapshot) => {
    const { header, rootKey } = snapshot;
    const existing = header.recipients ?? [];
    const clash = existing.find((r) => r.name === options.name || r.public_key === renderPublicKey(parsed.key));
    if (clash !== undefined) {
      const what = clash.name === options.name ? `the name ${options.name}` : `that public key (as ${clash.name})`;
      throw new SecretrunError('input', `cannot add ${options.name} to ${options.path}: ${what} is already a recipient`, { hint: 'choose another name, or `secretrun recipients remove` the old entry first' });
    }
    const addedBy = rootKey.recipient ?? 'shared key';
    const entry = buildRecipientEntry({ name: options.name, publicKey: parsed.key, addedBy, now: options.now }, rootKey.key, header.id, randomBytes);
    if (entry === undefined) throw new SecretrunError('input', `cannot add ${options.name}: the public key cannot be used (it is a degenerate point)`);
    const next = existing.length === 0 ? { ...header, recipients: [entry], sharedKey: true, lineage: [] } : { ...header, recipients: [...existing, entry] };
    return { target: { header: next, rootKey, dataKeys: snapshot.dataKeys }, result: { entry, fingerprint, converted: existing.length === 0 } };
  });
}

// Which recipient to remove: by name or fingerprint, or the shared root key.
export type RemovalTarget = { kind: 'recipient'; nameOrFingerprint: string } | { kind: 'shared-key' };

// What `remove` reports.
export interface RecipientRemoved {
  /** The name removed, or undefined for the shared key. */
  name?: string;
  fingerprint?: string;
  /** The data-key term new writes now use. */
  term: number;
}

function fingerprintOf(entry: RecipientEntry): string {
  const parsed = parsePublicKey(entry.public_key);
  return parsed.ok ? buildFingerprint(parsed.key) : '';
}

// Removes a recipient (or the shared key): a new root key for the others, a new data-key term.
export async function removeRecipient(options: StoreOperationOptions & { target: RemovalTarget }): Promise<RecipientRemoved> {
  const { target, path } = options;
  return rewriteStore(options, async (snapshot) => {
    const { header } = snapshot;
    const recipients = header.recipients ?? [];
    if (recipients.length === 0) {
      throw new SecretrunError('input', `${path} has no recipients: it opens with its shared root key (\`secretrun operator rekey\` replaces that key)`);
    }
    let remaining = recipients;
    let removed: RecipientEntry | undefined;
    if (target.kind === 'recipient') {
      const wanted = target.nameOrFingerprint;
      removed = recipients.find((r) => r.name === wanted) ?? recipients.find((r) => fingerprintOf(r) === wanted.toLowerCase());
      if (removed === undefined) {
        throw new SecretrunError('input', `${wanted} is not a recipient of ${path}: it has ${recipients.map((r) => r.name).join(', ')}`, { hint: '`secretrun recipients list` shows names and fingerprints' });
      }
      remaining = recipients.filter((r) => r !== removed);
      if (remaining.length === 0) {
        throw new SecretrunError('input', `cannot remove ${removed.name}, the last recipient of ${path}: nothing would open the store`, { hint: 'add another recipient first' });
      }
    } else if (header.sharedKey !== true) {
      throw new SecretrunError('input', `the shared root key of ${path} was already removed: only its recipients open it`);
    }
    const rekeyed = buildRekeyedStore(header, snapshot.rootKey.key, snapshot.dataKeys, remaining, randomBytes);
    const written = { header: rekeyed.header, rootKey: { key: rekeyed.rootKey, source: 'the new root key' }, dataKeys: rekeyed.dataKeys };
    const result: RecipientRemoved = { term: rekeyed.header.keyring.active, ...(removed === undefined ? {} : { name: removed.name, fingerprint: fingerprintOf(removed) }) };
    return { target: written, result };
  });
}

// The merged access a merge driver computed (team/recipient-merge.ts).
export interface MergedAccess {
  recipients: RecipientEntry[];
  sharedKey: boolean;
  lineage: LineageEntry[];
  /** Make a new root key for `recipients`, linked from the current one and `otherRootKeys`. */
  rekey: boolean;
  otherRootKeys: readonly Buffer[];
}

// Gives the store at `options.path` the merged recipients (and a new root key when asked).
export async function writeMergedAccess(options: StoreOperationOptions & { access: MergedAccess }): Promise<void> {
  const { access } = options;
  await rewriteStore(options, async (snapshot) => {
    const header = { ...snapshot.header, recipients: access.recipients, sharedKey: access.sharedKey, lineage: access.lineage };
    const next = access.rekey
      ? buildRekeyedStore(header, snapshot.rootKey.key, snapshot.dataKeys, access.recipients, randomBytes, access.otherRootKeys)
      : { header, rootKey: snapshot.rootKey.key, dataKeys: snapshot.dataKeys };
    return { target: { header: next.header, rootKey: { key: next.rootKey, source: snapshot.rootKey.source }, dataKeys: next.dataKeys }, result: undefined };
  });
}
