import { randomBytes } from 'node:crypto';
import { buildKeyCheck, createKdfParams, derivePassphraseKey } from './key-derivation.js';
import type { KdfParams } from './key-derivation.js';
import { addDataKeyTerm, buildKeyring } from './keyring.js';
import { decodeRootKey, pendingKeyFilePath, promotePendingKeyFile, writeKeyFile } from './root-key.js';
import { resolveKeyFilePath } from './store-paths.js';
import { rewriteStore } from './store-rewrite.js';
import type { StoreOperationOptions } from './store-rewrite.js';
import type { KeyLocation } from './init-store.js';
import { buildRekeyedStore } from './recipients/recipient-rekey.js';

// Changing the root key (`secretrun operator rekey`): the data keys are re-wrapped under the
// new root key and a fresh data-key term, never wrapped under the old root key, becomes
// active, as rotate does. So the old root key, with any earlier copy of the store (the git
// history holds them all), opens only what was written before the rekey, never what is
// written after it. Only the header (keyring, kdf, key check, MAC) changes; every entry line
// stays byte for byte. A generated key goes to a pending key file first and replaces the
// default key file only after the store was written, so a crash never loses the key.

// The new root key: given, derived from a new passphrase, or generated into the key file.
export interface RekeyOptions extends StoreOperationOptions {
  newKey?: Buffer;
  newPassphrase?: string;
}

// Re-wraps the keyring of the store at `options.path` under a new root key.
export async function rekeyStore(options: RekeyOptions): Promise<{ key: KeyLocation; term: number }> {
  let promote: string | undefined;
  const result = await rewriteStore(options, async (snapshot) => {
    const { id } = snapshot.header;
    // A recipient store's new root key is wrapped for its recipients; no key file is written.
    if (snapshot.header.recipients !== undefined) {
      const rekeyed = buildRekeyedStore(snapshot.header, snapshot.rootKey.key, snapshot.dataKeys, snapshot.header.recipients, randomBytes);
      const target = { header: rekeyed.header, rootKey: { key: rekeyed.rootKey, source: 'the new root key' }, dataKeys: rekeyed.dataKeys };
      return { target, result: { key: { kind: 'recipients' } as KeyLocation, term: rekeyed.header.keyring.active } };
    }
    const keyFile = resolveKeyFilePath(options.env, id);
    // An earlier rekey died before promoting its key: finish it before writing a new pending key.
    if (snapshot.rootKey.file === pendingKeyFilePath(keyFile)) await promotePendingKeyFile(keyFile);
    let key: Buffer;
    let kdf: KdfParams | null = null;
    let location: KeyLocation;
    if (options.newKey !== undefined) {
      key = decodeRootKey(options.newKey.toString('base64'), 'the new key', options.path);
      location = { kind: 'option' };
    } else if (options.newPassphrase !== undefined) {
      kdf = createKdfParams(randomBytes);
      key = derivePassphraseKey(options.newPassphrase, kdf);
      location = { kind: 'passphrase' };
    } else {
      key = randomBytes(32);
      await writeKeyFile(pendingKeyFilePath(keyFile), key, true);
      promote = keyFile;
      location = { kind: 'file', path: keyFile, created: true };
    }
    const { dataKeys, active } = addDataKeyTerm(snapshot.dataKeys, randomBytes);
    const keyring = buildKeyring(dataKeys, active, key, id, randomBytes);
    const header = { id, keyring, kdf, check: buildKeyCheck(key) };
    return { target: { header, rootKey: { key, source: 'the new key' }, dataKeys }, result: { key: location, term: active } };
  });
  if (promote !== undefined) await promotePendingKeyFile(promote);
  return result;
}
