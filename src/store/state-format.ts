import { SecretrunError } from '../errors.js';
import { integrityError } from './store-format.js';

// The state file's text format: the store file's, with a header of its own. Line 1 is
// `{"secretrun_state":1,"id":<store id>,"check":<key check>,"mac":<MAC>}`; every other line is
// an entry `{"k":<storage key>,"v":<envelope>}`, sorted by key, sealed with the store's data
// keys (AAD = store id + key, as in the store file). The MAC (HMAC-SHA-256 with the state MAC
// key, derived from the root key) covers the header without its mac field, "\n", and every
// entry line, so an edited, truncated or reordered state file, or one of another store or
// written under another root key, is refused. It holds no keyring: the store file's is the
// one keyring, so rotation and rekey change one header. Pure.

export const stateFormatVersion = 1;

// What the header holds besides the version and the MAC.
export interface StateHeader {
  /** The id of the store it belongs to. */
  id: string;
  /** The key check of the root key it was written under (as the store header's). */
  check: string;
}

// A state file split into its parts; nothing is verified yet.
export interface StateParts {
  header: StateHeader;
  headerBody: string;
  mac: string;
  entriesStart: number;
}

const macSuffix = /,"mac":"([A-Za-z0-9+/=]+)"\}$/;

// Splits a state file into header and entries, checking the version and the header's shape.
export function parseStateBytes(bytes: Buffer, path: string): StateParts {
  const end = bytes.indexOf(0x0a);
  const headerLine = bytes.toString('utf8', 0, end === -1 ? bytes.length : end);
  let parsed: unknown;
  try {
    parsed = JSON.parse(headerLine);
  } catch {
    throw integrityError(path, 'its first line is not a state file header');
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const version = record['secretrun_state'];
  if (version === undefined) throw integrityError(path, 'its first line is not a state file header');
  if (version !== stateFormatVersion) {
    throw new SecretrunError('store_format', `state file ${path} has format version ${JSON.stringify(version)}; this secretrun reads version ${stateFormatVersion} (upgrade secretrun)`);
  }
  const mac = macSuffix.exec(headerLine);
  const { id, check } = record;
  if (end === -1 || bytes[bytes.length - 1] !== 0x0a) throw integrityError(path, 'the file is cut short');
  if (mac === null || typeof id !== 'string' || typeof check !== 'string') throw integrityError(path, 'the header is malformed');
  return { header: { id, check }, headerBody: `${headerLine.slice(0, mac.index)}}`, mac: mac[1] as string, entriesStart: end + 1 };
}

// The header line without its MAC, in the field order every writer uses.
export function renderStateHeaderBody(header: StateHeader): string {
  return JSON.stringify({ secretrun_state: stateFormatVersion, id: header.id, check: header.check });
}
