// The contract between the engines (kv/, auth/, mounts) and durable storage (store/).
// Engines see plain JSON values under string keys; encryption, files and locks are the
// store's business and invisible here.

import type { JsonValue } from '../json.js';

// A view of the store inside one read or one transaction. Synchronous on purpose: a
// transaction runs with the whole store in memory and the lock held, so no I/O happens here.
// A view is valid only while its transaction function runs; later calls throw.
export interface Storage {
  /**
   * The value at `key`, or undefined when there is none. Decrypts only this entry. The value is
   * a fresh copy the caller owns: editing it changes nothing stored.
   */
  get(key: string): JsonValue | undefined;
  put(key: string, value: JsonValue): void;
  /** Deleting a missing key is not an error. */
  delete(key: string): void;
  /**
   * Every stored key that starts with `prefix`, at any depth, in code point order (UTF-8
   * byte order, Go's string order); values are not decrypted.
   */
  list(prefix: string): string[];
}

// A durable store: the local encrypted file, or memory for `server -dev` and tests. Every
// store passes the same contract (test/store/store-contract.ts); misuse (a write in a read, an
// async `fn`, a closed store) rejects with SecretrunError code `internal`.
export interface Store {
  /** Runs `fn` over a consistent snapshot; `put`/`delete` inside it throw. */
  read<T>(fn: (storage: Storage) => T): Promise<T>;
  /**
   * Runs `fn` as one transaction: takes the lock, sees the newest data, and commits
   * everything `fn` wrote atomically. If `fn` throws, nothing is written and its error is
   * passed on. `fn` must be synchronous. One process's transactions run one at a time, in
   * the order they were called.
   */
  update<T>(fn: (storage: Storage) => T): Promise<T>;
  /** Releases file handles and watchers; the store is unusable afterwards. */
  close(): Promise<void>;
}
