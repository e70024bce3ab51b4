import { homedir } from 'node:os';
import { join } from 'node:path';

// secretrun's cache directory: $XDG_CACHE_HOME/secretrun (~/.cache/secretrun). It holds the
// code cache and the manifest cache, never a secret value: either can be deleted at any time.
export function cacheDir(env: Readonly<Record<string, string | undefined>>): string {
  return join(env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache'), 'secretrun');
}
