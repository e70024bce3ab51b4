import { SecretrunError } from '../../errors.js';
import { buildFingerprint, parsePublicKey, renderPublicKey } from './identity.js';
import { publicKeyOf } from './identity-file.js';
import type { IdentityEntry } from './identity-file.js';
import type { RecipientEntry } from './recipient-entry.js';

// Which of this machine's private keys opens a recipient store. Keys are matched by public key,
// so only the one stanza meant for the chosen key is opened: one X25519 operation, and a
// passphrase is asked for only when the key that matches is protected. Pure.

// A private key and where it came from ("SECRETRUN_KEY", "identities/default.key").
export interface IdentityCandidate {
  source: string;
  entry: IdentityEntry;
}

// The key that opens the store and the recipient entry it opens.
export interface IdentityMatch {
  candidate: IdentityCandidate;
  recipient: RecipientEntry;
}

// The first candidate (in the order given: SECRETRUN_KEY, SECRETRUN_KEY_FILE, then the
// identities directory) that is a recipient of the store; undefined when none is.
export function chooseIdentity(recipients: readonly RecipientEntry[], candidates: readonly IdentityCandidate[]): IdentityMatch | undefined {
  const byKey = new Map(recipients.map((recipient) => [recipient.public_key, recipient]));
  for (const candidate of candidates) {
    const recipient = byKey.get(renderPublicKey(publicKeyOf(candidate.entry)));
    if (recipient !== undefined) return { candidate, recipient };
  }
  return undefined;
}

// The store_key error when no key of this machine is a recipient: which keys were tried (by
// fingerprint and source), who can open the store, and how to get access.
export function noIdentityError(storePath: string, recipients: readonly RecipientEntry[], candidates: readonly IdentityCandidate[]): SecretrunError {
  const tried =
    candidates.length === 0
      ? 'this machine has no private key (SECRETRUN_KEY, SECRETRUN_KEY_FILE and the identities directory are empty)'
      : `none of this machine's keys is one of them (${candidates.map((c) => `${buildFingerprint(publicKeyOf(c.entry))} from ${c.source}`).join(', ')})`;
  const fingerprintOf = (text: string): string => {
    const parsed = parsePublicKey(text);
    return parsed.ok ? buildFingerprint(parsed.key) : '?';
  };
  const who = recipients.map((r) => `${r.name} (${fingerprintOf(r.public_key)})`).join(', ');
  return new SecretrunError('store_key', `cannot open ${storePath}: it opens with the keys of ${who}, and ${tried}`, {
    hint:
      candidates.length === 0
        ? 'run `secretrun key new`, then ask someone who can open the store to run `secretrun recipients add <your name> <your public key>`'
        : 'ask someone who can open the store to run `secretrun recipients add <your name> <public key>` (`secretrun key show` prints yours)',
  });
}
