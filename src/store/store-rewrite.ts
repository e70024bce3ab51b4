import { SecretrunError } from '../errors.js';
import { removeStaleTempFiles, writeFileAtomic } from '../fs/atomic-write.js';
import { acquireStoreLock } from './lock.js';
import { resolveRootKey } from './root-key.js';
import type { KeyOptions } from './root-key.js';
import { ioError, loadSnapshot, readStoreFile } from './store-snapshot.js';
import type { StoreSnapshot } from './store-snapshot.js';

// The shared shape of rotate and rekey: under the lock, load and verify the store, compute the
// new file from it, and replace the file atomically.

// Options of an operation on an existing store.
export interface StoreOperationOptions extends KeyOptions {
  path: string;
  lockTimeoutMs?: number;
}

// Runs `rewrite` on the verified store and writes the file it returns.
export async function rewriteStore<T>(
  options: StoreOperationOptions,
  rewrite: (snapshot: StoreSnapshot) => Promise<{ bytes: Buffer; result: T }>,
): Promise<T> {
  const { path } = options;
  const release = await acquireStoreLock(path, options.lockTimeoutMs);
  try {
    await removeStaleTempFiles(path);
    const file = await readStoreFile(path);
    if (file === undefined) {
      throw new SecretrunError('store_io', `cannot change store ${path}: it does not exist (run \`secretrun init\` to create it)`);
    }
    const snapshot = await loadSnapshot(path, file.bytes, (header) =>
      resolveRootKey(options, header.id, header.kdf, path, header.check),
    );
    const { bytes, result } = await rewrite(snapshot);
    await writeFileAtomic(path, bytes).catch((error: unknown) => {
      throw ioError(path, 'write', error);
    });
    return result;
  } finally {
    await release();
  }
}
