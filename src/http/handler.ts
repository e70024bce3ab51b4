import { randomBytes } from 'node:crypto';
import type { Caller } from '../auth/token-record.js';
import type { Storage, Store } from '../store/storage.js';
import { parseLogicalRequest } from './logical-request.js';
import type { LogicalRequest } from './logical.js';
import { renderFailure, renderResponse } from './render-response.js';
import { routeRequest, type RoutedResponse } from './router.js';
import type { WireHandler, WireHead, WireRequest, WireResponse } from './wire.js';

// Decides who is asking. Runs inside the request's own read or transaction, so the token and
// the data are seen at the same moment; throws permission_denied to refuse the request.
export type Authenticate = (request: LogicalRequest, storage: Storage, now: number) => Caller | undefined;

export interface ApiHandlerOptions {
  store: Store;
  /** Milliseconds since the epoch; injected so tests control time. */
  now?: () => number;
  /** Token checking; without it every request is allowed (the in-process local CLI). */
  authenticate?: Authenticate;
  clusterId?: string;
  /**
   * Errors the caller reports itself instead of as an HTTP answer: the in-process CLI lets
   * store failures (wrong key, tampered file) through so they keep their own exit codes.
   */
  rethrow?: (error: unknown) => boolean;
}

// Reads and lists run on a snapshot; everything else is one transaction under the store lock.
function isWrite(request: LogicalRequest): boolean {
  return request.operation !== 'read' && request.operation !== 'list';
}

// Vault's HTTP API over a Store, as a socket-free handler: the HTTP server serves it and the
// local CLI calls it in-process, so both see exactly the same behaviour.
export function createApiHandler(options: ApiHandlerOptions): WireHandler {
  const now = options.now ?? Date.now;
  const routerOptions = { random: (n: number) => new Uint8Array(randomBytes(n)), clusterId: options.clusterId ?? 'secretrun-local' };
  // Writes from this process queue here instead of competing for the store's file lock,
  // which would make them poll and starve each other under load (the lock still orders this
  // process against other processes).
  let writes: Promise<unknown> = Promise.resolve();
  const update = <T>(fn: (storage: Storage) => T): Promise<T> => {
    const result = writes.then(() => options.store.update(fn));
    writes = result.catch(() => undefined);
    return result;
  };
  const handle = async (wire: WireRequest): Promise<WireResponse> => {
    try {
      const request = parseLogicalRequest(wire);
      const at = now();
      const run = (storage: Storage): RoutedResponse => {
        const caller = options.authenticate?.(request, storage, at);
        return routeRequest({ storage, request, now: at, caller }, routerOptions);
      };
      const routed = isWrite(request) ? await update(run) : await options.store.read(run);
      const response = renderResponse(request, routed.response, routed.mountType);
      // Vault CE ignores namespaces for routing but echoes the header back.
      if (request.namespace === undefined) return response;
      return { ...response, headers: { ...response.headers, 'x-vault-namespace': request.namespace } };
    } catch (error) {
      if (options.rethrow?.(error)) throw error;
      return renderFailure(error);
    }
  };

  // Before the transport reads a large body: the token is checked on the head alone, so an
  // unauthenticated client is refused without the server ever holding its body.
  const admit = async (head: WireHead): Promise<WireResponse | undefined> => {
    const authenticate = options.authenticate;
    if (authenticate === undefined) return undefined;
    try {
      const request = parseLogicalRequest({ ...head, body: Buffer.alloc(0) });
      const at = now();
      await options.store.read((storage) => authenticate(request, storage, at));
      return undefined;
    } catch (error) {
      if (options.rethrow?.(error)) throw error;
      return renderFailure(error);
    }
  };

  return Object.assign(handle, { admit });
}
