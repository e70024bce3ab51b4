import { createHash } from 'node:crypto';
import type { RandomBytes } from '../keyring.js';
import { decodeBech32, encodeBech32 } from './bech32.js';
import type { Bech32Problem } from './bech32.js';
import { derivePublicKey, x25519KeyLength } from './x25519.js';

// A person's or a machine's key pair, and its text forms. The forms are age's: the public key
// is Bech32 under `age` (`age1…`), the private key Bech32 under `AGE-SECRET-KEY-`, so a key
// made by `age-keygen` (or already used with sops) works here and a key made here works there.
// Only the key text is shared with age: what secretrun wraps with it (stanza.ts) is its own.
// Pure.

// A private key with its public key.
export interface Identity {
  /** The 32-byte X25519 secret. */
  secret: Buffer;
  /** X25519(secret, basepoint). */
  publicKey: Buffer;
}

// A text key decoded, or why it could not be (a sentence fragment: "its checksum ...").
export type KeyParse = { ok: true; key: Buffer } | { ok: false; problem: string };

const publicPrefix = 'age';
const secretPrefix = 'AGE-SECRET-KEY-';

// A fresh key pair from the given randomness (crypto.randomBytes in production).
export function createIdentity(random: RandomBytes): Identity {
  return identityFromSecret(random(x25519KeyLength));
}

// The key pair of a known secret.
export function identityFromSecret(secret: Buffer): Identity {
  return { secret, publicKey: derivePublicKey(secret) };
}

// The public key as people share it: `age1…`.
export function renderPublicKey(publicKey: Uint8Array): string {
  return encodeBech32(publicPrefix, publicKey);
}

// The private key as it is stored and pasted into CI secrets: `AGE-SECRET-KEY-1…`.
export function renderSecretKey(secret: Uint8Array): string {
  return encodeBech32(secretPrefix, secret);
}

const problems: Record<Bech32Problem, string> = {
  'mixed-case': 'it mixes upper and lower case',
  'no-separator': 'it is cut short',
  'bad-character': 'it holds a character that no key contains',
  checksum: 'its checksum does not match (a character was mistyped, added or lost)',
  padding: 'it is not a canonical key encoding',
};

function parseKey(text: string, prefix: string, shape: string): KeyParse {
  const trimmed = text.trim();
  if (!trimmed.toLowerCase().startsWith(`${prefix.toLowerCase()}1`)) return { ok: false, problem: `it does not start with ${shape}` };
  const decoded = decodeBech32(trimmed);
  if (!decoded.ok) return { ok: false, problem: problems[decoded.problem] };
  if (decoded.prefix !== prefix.toLowerCase()) return { ok: false, problem: `it does not start with ${shape}` };
  if (decoded.bytes.length !== x25519KeyLength) return { ok: false, problem: `it holds ${decoded.bytes.length} bytes, not ${x25519KeyLength}` };
  return { ok: true, key: decoded.bytes };
}

// Decodes `age1…` to the 32-byte public key.
export function parsePublicKey(text: string): KeyParse {
  return parseKey(text, publicPrefix, '"age1"');
}

// Decodes `AGE-SECRET-KEY-1…` to the 32-byte secret.
export function parseSecretKey(text: string): KeyParse {
  const trimmed = text.trim();
  // age writes secret keys in upper case only; lower case is refused as age refuses it, so the
  // same text means the same thing to both tools.
  if (trimmed !== trimmed.toUpperCase()) return { ok: false, problem: 'it is not in upper case, as private keys are written' };
  return parseKey(trimmed, secretPrefix, '"AGE-SECRET-KEY-1"');
}

// A short, stable name for a public key, shown in lists and used to find a store's stanza for
// an identity: the first 8 bytes of SHA-256 of the key, in hex. 64 bits: two keys of one team
// never share it by chance, and a forged stanza under someone's fingerprint fails to open.
export function buildFingerprint(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('hex').slice(0, 16);
}
