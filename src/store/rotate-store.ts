import { randomBytes } from 'node:crypto';
import { SecretrunError } from '../errors.js';
import { addKeyringTerm, unwrapKeyring } from './keyring.js';
import { rewriteStore } from './store-rewrite.js';
import type { StoreOperationOptions } from './store-rewrite.js';

// Key rotation (`secretrun operator rotate`): a new data-key term becomes active for new
// writes. Existing entries keep their term and their lines; the old terms stay in the keyring
// so they remain readable.

// Adds a key term to the store at `options.path`; resolves to the new active term.
export async function rotateStore(options: StoreOperationOptions): Promise<{ term: number }> {
  return rewriteStore(options, async (snapshot) => {
    const rootKey = snapshot.rootKey.key;
    const { id } = snapshot.header;
    const keyring = addKeyringTerm(snapshot.header.keyring, rootKey, id, randomBytes);
    const dataKeys = unwrapKeyring(keyring, rootKey, id);
    if (dataKeys === undefined) throw new SecretrunError('internal', 'a freshly added key term does not unwrap');
    return { target: { header: { ...snapshot.header, keyring }, rootKey: snapshot.rootKey, dataKeys }, result: { term: keyring.active } };
  });
}
