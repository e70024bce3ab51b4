import { createHash } from 'node:crypto';
import { buildKvTarget, kvApiPath, type KvMount } from '../client/kv-mount.js';
import type { JsonObject } from '../json.js';
import { failureRead } from './remote-answers.js';
import type { MountCache, SendRequest } from './remote-mounts.js';
import type { SecretRead, SecretRequest } from './source.js';

// What a poll compares: `v2:<version>`, `v1:<sha256 of data>`, or `missing`.
export type Signature = string;

function hashData(data: unknown): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

// Reads one secret (at a version when pinned) and what a later poll compares it with; `known`
// is the mount (or why there is none) when the caller asked already.
export async function readRemoteSecret(send: SendRequest, mounts: MountCache, request: SecretRequest, known?: KvMount | SecretRead): Promise<{ read: SecretRead; signature: Signature }> {
  const mount = known ?? (await mounts.mountOf(request.path));
  if ('status' in mount) return { read: mount, signature: 'missing' };
  const query: Record<string, string> = request.version === undefined ? {} : { version: String(request.version) };
  const response = await send('GET', kvApiPath(buildKvTarget(mount, request.path), 'data'), query);
  if (response.status !== 200) return { read: failureRead(response, `GET ${request.path}`), signature: 'missing' };
  const body = response.json?.['data'] as JsonObject | undefined;
  if (mount.version === 1) return { read: { status: 'found', secret: { data: body ?? {}, version: 0 } }, signature: `v1:${hashData(body)}` };
  const metadata = body?.['metadata'] as JsonObject | undefined;
  const version = Number(metadata?.['version'] ?? 0);
  return { read: { status: 'found', secret: { data: (body?.['data'] as JsonObject | null) ?? {}, version } }, signature: `v2:${version}` };
}
