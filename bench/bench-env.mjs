// The environment the runner benches run secretrun in: a new root key, and config, cache and
// store under `work`, with no server address inherited from the shell.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export function localStoreEnv(work) {
  const env = {
    ...process.env,
    SECRETRUN_KEY: randomBytes(32).toString('base64'),
    XDG_CONFIG_HOME: join(work, 'config'),
    XDG_CACHE_HOME: join(work, 'cache'),
    SECRETRUN_STORE: join(work, 'store.json'),
  };
  delete env.VAULT_ADDR;
  return env;
}
