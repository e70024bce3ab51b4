import { readKvMount, uiMountsPath, type KvMount } from '../client/kv-mount.js';
import type { VaultResponse } from '../client/vault-http-client.js';
import { failureRead } from './remote-answers.js';
import type { SecretRead } from './source.js';

// Sends one request to the server with the current token.
export type SendRequest = (method: string, path: string, query?: Record<string, string>) => Promise<VaultResponse>;

// The mounts of the paths read so far: each asked once (client/kv-mount.ts says how), even
// when many reads of one mount start together.
export interface MountCache {
  /** The mount of `path`, or why it cannot be known (a failed read). */
  mountOf(path: string): Promise<KvMount | SecretRead>;
}

// Asks the server which mount `path` is in.
async function lookupMount(send: SendRequest, path: string): Promise<KvMount | SecretRead> {
  const response = await send('GET', uiMountsPath(path));
  return readKvMount(response.status, response.json) ?? failureRead(response, `mount lookup for ${path}`);
}

// A mount cache asking through `send`.
export function createMountCache(send: SendRequest): MountCache {
  const mounts: KvMount[] = [];
  const lookups = new Map<string, Promise<KvMount | SecretRead>>();
  const cached = (path: string): KvMount | undefined =>
    mounts.filter((mount) => mount.path !== '' && `${path}/`.startsWith(mount.path)).sort((a, b) => b.path.length - a.path.length)[0];
  return {
    async mountOf(path) {
      const known = cached(path);
      if (known !== undefined) return known;
      const segment = path.split('/')[0] ?? path;
      const inFlight = lookups.get(segment);
      if (inFlight !== undefined) {
        await inFlight.catch(() => undefined);
        const resolved = cached(path);
        if (resolved !== undefined) return resolved;
      }
      const lookup = lookupMount(send, path).then((mount) => {
        if ('version' in mount && mount.path !== '') mounts.push(mount);
        return mount;
      });
      lookups.set(segment, lookup);
      try {
        return await lookup;
      } finally {
        if (lookups.get(segment) === lookup) lookups.delete(segment);
      }
    },
  };
}
