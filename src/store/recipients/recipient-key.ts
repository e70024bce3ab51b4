import { SecretrunError } from '../../errors.js';
import { readFileBounded } from '../../fs/bounded-read.js';
import { resolveRootKey } from '../root-key.js';
import type { KeyOptions, RootKey } from '../root-key.js';
import type { StoreHeader } from '../store-format.js';

// Finding the root key of a store from its parsed header. A store without recipients opens as
// it always did (root-key.ts), and is told apart from a private key offered to it; a recipient
// store is opened by recipient-open.ts, a lazy bundle (with its own code cache) that a
// single-key store's reads and runs never load.

// The hint of the error for a protected private key without its passphrase; the CLI prompts
// for the passphrase when it sees it (store-passphrase.ts).
export const protectedKeyHint = 'set SECRETRUN_IDENTITY_PASSPHRASE to its passphrase, or run the command in a terminal to be asked for it';

function hasPrivateKey(text: string): boolean {
  return /AGE-SECRET-KEY-|SECRETRUN-PROTECTED-KEY-/i.test(text);
}

function readsAsPrivateKey(file: string): boolean {
  try {
    return hasPrivateKey(readFileBounded(file, 64 * 1024).toString('utf8'));
  } catch {
    return false;
  }
}

// The error for a private key offered to a store that only its shared root key opens.
function sharedOnlyError(source: string, path: string): SecretrunError {
  return new SecretrunError(
    'store_key',
    `${source} holds a private key, but ${path} opens with its shared root key: add the key with \`secretrun recipients add\``,
    { hint: 'run `secretrun recipients add NAME PUBLIC_KEY` with the shared key set (`secretrun key show` prints the public key)' },
  );
}

// Resolves the root key of the store whose header is given.
export async function resolveStoreKey(options: KeyOptions, header: StoreHeader, path: string): Promise<RootKey> {
  const { env } = options;
  if (header.recipients === undefined) {
    const envKey = env['SECRETRUN_KEY'];
    if (options.key === undefined && envKey !== undefined && hasPrivateKey(envKey)) throw sharedOnlyError('SECRETRUN_KEY', path);
    try {
      return await resolveRootKey(options, header.id, header.kdf, path, header.check);
    } catch (error) {
      // Only on this failure path: is the key file a private key rather than a root key?
      const file = env['SECRETRUN_KEY_FILE'];
      if (error instanceof SecretrunError && error.code === 'store_key' && file !== undefined && file !== '' && readsAsPrivateKey(file)) throw sharedOnlyError(`key file ${file}`, path);
      throw error;
    }
  }
  const { openRecipientStore } = await import('./recipient-open.js');
  return openRecipientStore(options, header, path);
}
