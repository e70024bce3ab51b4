import { compareGoStrings } from '../go/string-order.js';
import type { JsonValue } from '../json.js';
import { isJsonObject } from '../json.js';
import { decodeKeyMetadata, versionStatus } from '../kv/key-metadata.js';
import { defaultMounts, kvVersionOf, mountsKey } from '../sys/mounts.js';
import type { MountTable } from '../sys/mounts.js';
import { parseStorageKey } from './storage-key.js';

// What `git diff` shows of a store (the textconv driver's output): which secrets and versions
// exist, in what state, and who can open the store. Never a value: only the mounts table and
// the KV v2 metadata are decrypted, and of the metadata only version numbers, states, settings
// and custom_metadata field names are shown. One fact per line, without column alignment, so a
// change shows as the few lines it changed. Pure.

// One recipient as the listing names it.
export interface RecipientSummary {
  name: string;
  fp: string;
  added_by: string;
  added_at: string;
}

// Who can open the store: today's single root key, or recipients (and, until it is removed,
// the shared root key the store had before it was converted).
export type StoreAccessSummary =
  | { kind: 'shared-key'; passphrase: boolean }
  | { kind: 'recipients'; recipients: readonly RecipientSummary[]; sharedKey: boolean };

// What the listing is built from; `read` decrypts one entry (only `sys/mounts` and KV v2
// metadata entries are asked for).
export interface StoreListingInput {
  id: string;
  access: StoreAccessSummary;
  /** The active data-key term, when known. */
  keyTerm?: number;
  /** The header's key check: it changes exactly when the root key does. */
  keyCheck?: string;
  keys: readonly string[];
  read(storageKey: string): JsonValue | undefined;
  /** The moment deletion times are compared with ("deleted" vs "live"). */
  now: number;
}

function renderAccess(access: StoreAccessSummary): string[] {
  if (access.kind === 'shared-key') {
    return [`opens with: one shared root key (${access.passphrase ? 'a passphrase' : 'a key file, SECRETRUN_KEY or SECRETRUN_KEY_FILE'})`];
  }
  const lines = [`opens with: ${access.recipients.length} recipient${access.recipients.length === 1 ? '' : 's'}`];
  const sorted = [...access.recipients].sort((a, b) => compareGoStrings(a.name, b.name));
  for (const r of sorted) lines.push(`recipient ${r.name} ${r.fp} added by ${r.added_by} at ${r.added_at}`);
  if (access.sharedKey) lines.push('recipient (shared root key from before recipients)');
  return lines;
}

function renderSecret(mountPath: string, value: JsonValue | undefined, now: number): string[] {
  if (value === undefined) return [];
  const meta = decodeKeyMetadata(value);
  const path = `${mountPath}${meta.key}`;
  const lines: string[] = [];
  const settings = [
    meta.max_versions !== 0 ? `max_versions=${meta.max_versions}` : '',
    meta.cas_required ? 'cas_required=true' : '',
    meta.delete_version_after !== 0 ? `delete_version_after=${meta.delete_version_after}s` : '',
  ].filter((s) => s !== '');
  if (settings.length > 0) lines.push(`${path} settings ${settings.join(' ')}`);
  const fields = Object.keys(meta.custom_metadata ?? {}).sort(compareGoStrings);
  if (fields.length > 0) lines.push(`${path} custom_metadata ${fields.join(', ')}`);
  const versions = Object.keys(meta.versions).map(Number).sort((a, b) => a - b);
  if (versions.length === 0) lines.push(`${path} no versions`);
  for (const n of versions) {
    const record = meta.versions[String(n)];
    if (record === undefined) continue;
    lines.push(`${path} v${n} ${versionStatus(record, now)}${n === meta.current_version ? ' current' : ''}`);
  }
  return lines;
}

// The listing's text.
export function renderStoreListing(input: StoreListingInput): string {
  const stored = input.keys.includes(mountsKey) ? input.read(mountsKey) : undefined;
  const table: MountTable = isJsonObject(stored) ? (stored as unknown as MountTable) : defaultMounts();
  const mountByUuid = new Map(Object.entries(table).map(([path, mount]) => [mount.uuid, { path, mount }]));
  const lines = [`secretrun store ${input.id}`, ...renderAccess(input.access)];
  // A new root key (a rekey, a removed recipient, or a store replaced wholesale) shows here.
  if (input.keyCheck !== undefined) lines.push(`root key check: ${input.keyCheck}`);
  if (input.keyTerm !== undefined) lines.push(`data key term: ${input.keyTerm}`);
  lines.push('');
  const byMount = new Map<string, string[]>();
  const other: string[] = [];
  for (const storageKey of [...input.keys].sort(compareGoStrings)) {
    const kind = parseStorageKey(storageKey);
    const found = 'uuid' in kind ? mountByUuid.get(kind.uuid) : undefined;
    if (found === undefined || kind.kind === 'kv-data' || kind.kind === 'mounts') {
      if (kind.kind !== 'kv-data' && kind.kind !== 'mounts') other.push(storageKey);
      continue;
    }
    const out = byMount.get(found.path) ?? [];
    byMount.set(found.path, out);
    if (kind.kind === 'kv-meta') out.push(...renderSecret(found.path, input.read(storageKey), input.now));
    else if (kind.kind === 'kv-v1') out.push(`${found.path}${kind.key}`);
    else if (kind.kind === 'kv-config') out.push(`${found.path} config`);
    else other.push(storageKey);
  }
  for (const [path, mount] of Object.entries(table).sort(([a], [b]) => compareGoStrings(a, b))) {
    const version = kvVersionOf(mount);
    if (version === undefined) continue;
    lines.push(`mount ${path} kv v${version}`, ...(byMount.get(path) ?? []));
  }
  if (other.length > 0) lines.push('other entries', ...other);
  return `${lines.join('\n')}\n`;
}
