import { createCipheriv, createDecipheriv } from 'node:crypto';
import { derivePassphraseKey } from '../key-derivation.js';
import type { RandomBytes } from '../keyring.js';
import { identityFromSecret, parsePublicKey, parseSecretKey, renderPublicKey, renderSecretKey } from './identity.js';
import type { Identity } from './identity.js';
import { x25519KeyLength } from './x25519.js';

// The text of a private key file. A plain one is age's identity file (comment lines, then one
// `AGE-SECRET-KEY-1…` line per key), so `age-keygen` output works here and ours works with age.
// A passphrase-protected key is one line of our own,
//
//   SECRETRUN-PROTECTED-KEY-1 <age1 public key> scrypt <log2 N> <salt> <body>
//
// where body = AES-256-GCM(key = scrypt(passphrase, salt, N, r = 8, p = 1), nonce = 12
// zero bytes (the salt is fresh, so the key is), secret, aad = label || public key). The public
// key stays readable, so `key show` and the choice of identity for a store need no passphrase;
// it is bound as associated data and checked against the secret once opened. Pure.

// One key found in a file: usable now, or waiting for its passphrase.
export type IdentityEntry = { kind: 'plain'; identity: Identity } | { kind: 'protected'; publicKey: Buffer; sealed: SealedSecret };

// A protected key's scrypt parameters and sealed secret.
export interface SealedSecret {
  logN: number;
  salt: Buffer;
  body: Buffer;
}

// A file's keys, or the first line that is not a key (1-based), with why.
export type IdentityFileParse = { ok: true; entries: IdentityEntry[] } | { ok: false; line: number; problem: string };

export const protectedKeyMark = 'SECRETRUN-PROTECTED-KEY-1';
// 2^15 is what passphrase stores use (about 100 ms per command); a file may ask for up to 2^18
// (256 MiB with r = 8), never more, since the parameters are read before anything is verified.
export const defaultLogN = 15;
const maxLogN = 18;
const saltLength = 16;
const tagLength = 16;
const zeroNonce = Buffer.alloc(12);

function aad(publicKey: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from('secretrun.dev/v1/protected-key\0', 'utf8'), publicKey]);
}

function passphraseKey(passphrase: string, logN: number, salt: Buffer): Buffer {
  return derivePassphraseKey(passphrase, { alg: 'scrypt', n: 2 ** logN, r: 8, p: 1, salt: salt.toString('base64') });
}

function header(identity: Identity, created: Date, what: string): string {
  return [
    `# secretrun private key${what}: keep it private, and keep a backup (see docs/keys.md)`,
    `# created: ${created.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    `# public key: ${renderPublicKey(identity.publicKey)}`,
  ].join('\n');
}

// A plain private key file.
export function renderIdentityFile(identity: Identity, created: Date): string {
  return `${header(identity, created, '')}\n${renderSecretKey(identity.secret)}\n`;
}

// A private key file whose key opens only with `passphrase`.
export function renderProtectedIdentityFile(identity: Identity, created: Date, passphrase: string, random: RandomBytes, logN = defaultLogN): string {
  const salt = random(saltLength);
  const cipher = createCipheriv('aes-256-gcm', passphraseKey(passphrase, logN, salt), zeroNonce);
  cipher.setAAD(aad(identity.publicKey));
  const body = Buffer.concat([cipher.update(identity.secret), cipher.final(), cipher.getAuthTag()]);
  const line = [protectedKeyMark, renderPublicKey(identity.publicKey), 'scrypt', String(logN), salt.toString('base64'), body.toString('base64')];
  return `${header(identity, created, ', protected by a passphrase')}\n${line.join(' ')}\n`;
}

function parseProtectedLine(line: string): { ok: true; entry: IdentityEntry } | { ok: false; problem: string } {
  const fields = line.split(' ');
  const [, publicText, kdf, logText, saltText, bodyText] = fields;
  if (fields.length !== 6 || kdf !== 'scrypt' || publicText === undefined || logText === undefined || saltText === undefined || bodyText === undefined) {
    return { ok: false, problem: 'its protected key line does not have the six fields it should' };
  }
  const publicKey = parsePublicKey(publicText);
  if (!publicKey.ok) return { ok: false, problem: `the public key of its protected key is not valid: ${publicKey.problem}` };
  const logN = /^[1-9][0-9]?$/.test(logText) ? Number(logText) : 0;
  if (logN < defaultLogN || logN > maxLogN) return { ok: false, problem: `its scrypt cost 2^${logText} is outside 2^${defaultLogN}..2^${maxLogN}` };
  const salt = Buffer.from(saltText, 'base64');
  const body = Buffer.from(bodyText, 'base64');
  if (salt.length !== saltLength || body.length !== x25519KeyLength + tagLength) return { ok: false, problem: 'its protected key is cut short' };
  return { ok: true, entry: { kind: 'protected', publicKey: publicKey.key, sealed: { logN, salt, body } } };
}

// Reads a private key file's text: every key line, comments and blank lines skipped.
export function parseIdentityFile(text: string): IdentityFileParse {
  const entries: IdentityEntry[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith(`${protectedKeyMark} `)) {
      const parsed = parseProtectedLine(line);
      if (!parsed.ok) return { ok: false, line: index + 1, problem: parsed.problem };
      entries.push(parsed.entry);
      continue;
    }
    const secret = parseSecretKey(line);
    if (!secret.ok) {
      const looksLikeKey = line.toUpperCase().startsWith('AGE-SECRET-KEY-');
      return { ok: false, line: index + 1, problem: looksLikeKey ? `its private key is not valid: ${secret.problem}` : 'it is not a private key (AGE-SECRET-KEY-1…) or a comment' };
    }
    entries.push({ kind: 'plain', identity: identityFromSecret(secret.key) });
  }
  if (entries.length === 0) return { ok: false, line: lines.length, problem: 'it holds no private key' };
  return { ok: true, entries };
}

// The public key of an entry, known without a passphrase.
export function publicKeyOf(entry: IdentityEntry): Buffer {
  return entry.kind === 'plain' ? entry.identity.publicKey : entry.publicKey;
}

// Opens a protected key; undefined when the passphrase is wrong or the line was edited.
export function openProtectedIdentity(entry: Extract<IdentityEntry, { kind: 'protected' }>, passphrase: string): Identity | undefined {
  const { logN, salt, body } = entry.sealed;
  let secret: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', passphraseKey(passphrase, logN, salt), zeroNonce, { authTagLength: tagLength });
    decipher.setAAD(aad(entry.publicKey));
    decipher.setAuthTag(body.subarray(x25519KeyLength));
    secret = Buffer.concat([decipher.update(body.subarray(0, x25519KeyLength)), decipher.final()]);
  } catch {
    return undefined;
  }
  const identity = identityFromSecret(secret);
  return identity.publicKey.equals(entry.publicKey) ? identity : undefined;
}
