import { createCipheriv, createDecipheriv } from 'node:crypto';

// The encrypted form of one storage entry: format byte + key term (uint32 BE) + 96-bit nonce +
// AES-256-GCM ciphertext + 16-byte tag, base64. Pure: the nonce is passed in.

export const envelopeFormat = 1;
const nonceLength = 12;
const tagLength = 16;
const prefixLength = 1 + 4 + nonceLength;

// The AAD binds an entry to its store and its key, so a line moved elsewhere fails to open.
// Store ids never contain NUL, so the concatenation is unambiguous.
function buildAad(storeId: string, storageKey: string): Buffer {
  return Buffer.from(`${storeId}\0${storageKey}`, 'utf8');
}

// What sealing one entry needs; `dataKey` is the data key of `term`.
export interface SealInput {
  dataKey: Buffer;
  term: number;
  nonce: Uint8Array;
  storeId: string;
  storageKey: string;
  plaintext: string;
}

// Encrypts one entry's plaintext into an envelope string.
export function sealEnvelope(input: SealInput): string {
  if (input.nonce.length !== nonceLength) throw new RangeError('envelope nonce must be 12 bytes');
  const cipher = createCipheriv('aes-256-gcm', input.dataKey, input.nonce);
  cipher.setAAD(buildAad(input.storeId, input.storageKey));
  const body = Buffer.concat([cipher.update(input.plaintext, 'utf8'), cipher.final()]);
  const prefix = Buffer.alloc(prefixLength);
  prefix.writeUInt8(envelopeFormat, 0);
  prefix.writeUInt32BE(input.term, 1);
  prefix.set(input.nonce, 5);
  return Buffer.concat([prefix, body, cipher.getAuthTag()]).toString('base64');
}

// The key term an envelope was sealed with, or undefined when it is not a v1 envelope.
// Read before opening so the caller can pick the data key.
export function readEnvelopeTerm(envelope: string): number | undefined {
  const bytes = Buffer.from(envelope, 'base64');
  if (bytes.length < prefixLength + tagLength || bytes[0] !== envelopeFormat) return undefined;
  return bytes.readUInt32BE(1);
}

// What opening one entry needs: the same store id and key it was sealed under.
export interface OpenInput {
  dataKey: Buffer;
  storeId: string;
  storageKey: string;
  envelope: string;
}

// Decrypts an envelope; undefined when it is malformed or does not authenticate.
export function openEnvelope(input: OpenInput): string | undefined {
  const bytes = Buffer.from(input.envelope, 'base64');
  if (bytes.length < prefixLength + tagLength || bytes[0] !== envelopeFormat) return undefined;
  const nonce = bytes.subarray(5, prefixLength);
  const body = bytes.subarray(prefixLength, bytes.length - tagLength);
  const tag = bytes.subarray(bytes.length - tagLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', input.dataKey, nonce);
    decipher.setAAD(buildAad(input.storeId, input.storageKey));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
