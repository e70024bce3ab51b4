import { SecretrunError } from '../../errors.js';
import { parseIdentityFile, protectedKeyMark } from './identity-file.js';
import type { IdentityEntry } from './identity-file.js';

// What SECRETRUN_KEY or a SECRETRUN_KEY_FILE holds: today's shared root key (base64 of 32
// bytes), or private keys (an age identity: one `AGE-SECRET-KEY-1…` line, or a whole private
// key file, comments included, protected keys too). CI keeps needing one secret variable: it
// holds whichever the store is opened with. Pure.

// The key material found in one source.
export type KeyMaterial = { kind: 'root'; key: Buffer } | { kind: 'identities'; entries: IdentityEntry[] };

const rootKeyText = /^[A-Za-z0-9+/]{43}=$/;

// Tells a root key from private keys. `what` names the source in the error ("SECRETRUN_KEY for
// .secretrun/store.json"); the text itself never appears in it.
export function parseKeyMaterial(text: string, what: string): KeyMaterial {
  const trimmed = text.trim();
  if (rootKeyText.test(trimmed)) return { kind: 'root', key: Buffer.from(trimmed, 'base64') };
  const upper = trimmed.toUpperCase();
  const looksLikeIdentity = trimmed.startsWith('#') || upper.includes('AGE-SECRET-KEY-') || trimmed.includes(protectedKeyMark);
  if (!looksLikeIdentity) {
    throw new SecretrunError(
      'store_key',
      `cannot use ${what}: it is neither a root key (base64 of 32 random bytes) nor a private key (AGE-SECRET-KEY-1…, from \`secretrun key new\`)`,
    );
  }
  const parsed = parseIdentityFile(trimmed);
  if (!parsed.ok) {
    const where = trimmed.includes('\n') ? ` (line ${parsed.line})` : '';
    throw new SecretrunError('store_key', `cannot use ${what}: ${parsed.problem}${where}`, {
      hint: 'copy the whole private key again; `secretrun key show` prints the public key of the keys this machine has',
    });
  }
  return { kind: 'identities', entries: parsed.entries };
}
