import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
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
