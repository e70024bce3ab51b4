import { createCipheriv, createDecipheriv } from 'node:crypto';

// The store's data keys. Each term's 32-byte data key is wrapped by the root key with
// AES-256-GCM; the AAD binds it to the store id and the term, so a wrapped key cannot be
// replayed into another store or under another term. Pure: randomness is passed in.

export interface Keyring {
  /** The term new writes are sealed with. */
  active: number;
  /** Term number (as a decimal string) → base64(nonce + wrapped key + tag). */
  terms: Record<string, string>;
}

// Where fresh random bytes come from (crypto.randomBytes in production).
export type RandomBytes = (length: number) => Buffer;

// The unwrapped data keys by term.
export type DataKeys = ReadonlyMap<number, Buffer>;

function wrapAad(storeId: string, term: number): Buffer {
  return Buffer.from(`secretrun-keyring\0${storeId}\0${term}`, 'utf8');
}

// Wraps one data key under the root key.
export function wrapDataKey(rootKey: Buffer, storeId: string, term: number, dataKey: Buffer, nonce: Buffer): string {
  const cipher = createCipheriv('aes-256-gcm', rootKey, nonce);
  cipher.setAAD(wrapAad(storeId, term));
  const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

// Unwraps one data key; undefined when the root key is wrong or the wrapping was edited.
export function unwrapDataKey(rootKey: Buffer, storeId: string, term: number, wrapped: string): Buffer | undefined {
  const bytes = Buffer.from(wrapped, 'base64');
  if (bytes.length !== 12 + 32 + 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', rootKey, bytes.subarray(0, 12));
    decipher.setAAD(wrapAad(storeId, term));
    decipher.setAuthTag(bytes.subarray(12 + 32));
    return Buffer.concat([decipher.update(bytes.subarray(12, 12 + 32)), decipher.final()]);
  } catch {
    return undefined;
  }
}

// Unwraps every term; undefined if any term fails (the keyring then cannot be trusted).
export function unwrapKeyring(keyring: Keyring, rootKey: Buffer, storeId: string): DataKeys | undefined {
  const keys = new Map<number, Buffer>();
  for (const [termText, wrapped] of Object.entries(keyring.terms)) {
    const term = Number(termText);
    const key = unwrapDataKey(rootKey, storeId, term, wrapped);
    if (key === undefined) return undefined;
    keys.set(term, key);
  }
  return keys.has(keyring.active) ? keys : undefined;
}

// Wraps a set of data keys under a (possibly new) root key: used by creation, rotation and rekey.
export function buildKeyring(dataKeys: DataKeys, active: number, rootKey: Buffer, storeId: string, random: RandomBytes): Keyring {
  const terms: Record<string, string> = {};
  for (const term of [...dataKeys.keys()].sort((a, b) => a - b)) {
    terms[String(term)] = wrapDataKey(rootKey, storeId, term, dataKeys.get(term) as Buffer, random(12));
  }
  return { active, terms };
}

// A new keyring with one fresh data key at term 1.
export function createKeyring(rootKey: Buffer, storeId: string, random: RandomBytes): Keyring {
  return buildKeyring(new Map([[1, random(32)]]), 1, rootKey, storeId, random);
}

// The keyring with one more term holding a fresh data key, made active; older terms are kept
// so entries sealed under them stay readable.
export function addKeyringTerm(keyring: Keyring, rootKey: Buffer, storeId: string, random: RandomBytes): Keyring {
  const next = Math.max(...Object.keys(keyring.terms).map(Number)) + 1;
  return {
    active: next,
    terms: { ...keyring.terms, [String(next)]: wrapDataKey(rootKey, storeId, next, random(32), random(12)) },
  };
}

// The data keys with one more term holding a fresh data key, and that term (to make active).
export function addDataKeyTerm(dataKeys: DataKeys, random: RandomBytes): { dataKeys: DataKeys; active: number } {
  const active = Math.max(0, ...dataKeys.keys()) + 1;
  return { dataKeys: new Map([...dataKeys, [active, random(32)]]), active };
}
