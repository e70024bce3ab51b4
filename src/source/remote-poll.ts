import { buildKvTarget, kvApiPath } from '../client/kv-mount.js';
import type { JsonObject } from '../json.js';
import { errorsText } from './remote-answers.js';
import type { MountCache, SendRequest } from './remote-mounts.js';
import { readRemoteSecret, type Signature } from './remote-read.js';

// Why a poll could not say what the server holds, in one line naming no value.
export interface PollFailure {
  readonly failure: string;
}

// Asks what the server holds now for an unpinned path, as cheaply as it lets us: the KV v2
// `metadata` (no values travel), or the data itself on KV v1 and for paths whose metadata the
// token may not read.
export type PollPath = (path: string) => Promise<Signature | PollFailure>;

// A poller asking through `send`; `now` decides whether a deletion time has passed.
export function createPathPoller(send: SendRequest, mounts: MountCache, now: () => number): PollPath {
  // Paths whose metadata the token may not read: polled through `data` instead.
  const dataPolled = new Set<string>();
  return async (path) => {
    const mount = await mounts.mountOf(path);
    if ('status' in mount) {
      if (mount.status === 'missing') return 'missing';
      return { failure: 'reason' in mount ? mount.reason : 'unexpected' };
    }
    if (mount.version === 2 && !dataPolled.has(path)) {
      const response = await send('GET', kvApiPath(buildKvTarget(mount, path), 'metadata'));
      if (response.status === 200) {
        const data = response.json?.['data'] as JsonObject | undefined;
        const current = Number(data?.['current_version'] ?? 0);
        const entry = (data?.['versions'] as JsonObject | undefined)?.[String(current)] as JsonObject | undefined;
        const deletion = String(entry?.['deletion_time'] ?? '');
        const gone = current === 0 || entry?.['destroyed'] === true || (deletion !== '' && Date.parse(deletion) <= now());
        return gone ? 'missing' : `v2:${current}`;
      }
      if (response.status === 404) return 'missing';
      if (response.status !== 403) return { failure: `GET metadata of ${path} returned ${response.status}${errorsText(response)}` };
      dataPolled.add(path);
    }
    const { read, signature } = await readRemoteSecret(send, mounts, { path });
    return read.status === 'forbidden' || read.status === 'unavailable' ? { failure: read.reason } : signature;
  };
}
