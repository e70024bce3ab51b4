import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { Env } from '../../src/store/store-paths.js';

// A temp dir with a store path and an env carrying a fresh root key, for store tests.
export function makeStoreEnv(): { dir: string; path: string; env: Env; key: Buffer } {
  const dir = makeTempDir('secretrun-store-');
  const key = randomBytes(32);
  // XDG_CONFIG_HOME points into the temp dir so no test touches the real ~/.config.
  const env = { SECRETRUN_KEY: key.toString('base64'), XDG_CONFIG_HOME: join(dir, 'config'), HOME: dir };
  return { dir, path: join(dir, 'project', '.secretrun', 'store.json'), env, key };
}

// The storage keys of a store or state file's entry lines, in file order.
export function entryKeysOf(path: string): string[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(1).map((line) => (JSON.parse(line) as { k: string }).k);
}

// The SecretrunError `promise` rejects with; fails the test when it resolves, rejects with
// something else, or names a value (tests mark theirs PLAINTEXT).
export async function secretrunErrorOf(promise: Promise<unknown>): Promise<SecretrunError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SecretrunError);
    expect((error as SecretrunError).message).not.toContain('PLAINTEXT');
    return error as SecretrunError;
  }
  throw new Error('expected a SecretrunError');
}
