import { randomBytes } from 'node:crypto';
import type { Store } from '../store/storage.js';
import { parseLogicalRequest } from './logical-request.js';
import type { LogicalRequest } from './logical.js';
import { renderFailure, renderResponse } from './render-response.js';
import { routeRequest, type RoutedResponse } from './router.js';
import type { RouteContext } from './routes/route-context.js';
import type { WireHandler } from './wire.js';

export interface ApiHandlerOptions {
  store: Store;
  /** Milliseconds since the epoch; injected so tests control time. */
  now?: () => number;
  /** Checks a request before it is routed; throws permission_denied to refuse it. */
  authorize?: (request: LogicalRequest) => Promise<void> | void;
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
  return async (wire) => {
    let request: LogicalRequest | undefined;
    try {
      request = parseLogicalRequest(wire);
      await options.authorize?.(request);
      const logical = request;
      const run = (storage: RouteContext['storage']): RoutedResponse => routeRequest({ storage, request: logical, now: now() }, routerOptions);
      const routed = isWrite(logical) ? await options.store.update(run) : await options.store.read(run);
      return renderResponse(logical, routed.response, routed.mountType);
    } catch (error) {
      if (options.rethrow?.(error)) throw error;
      return renderFailure(error);
    }
  };
}
