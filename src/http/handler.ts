import { randomBytes, randomUUID } from 'node:crypto';
import type { Caller } from '../auth/token-record.js';
import type { Storage, Store } from '../store/storage.js';
import { renderFailureLine } from './failure-line.js';
import { addIgnoredParametersWarning } from './ignored-parameters.js';
import { parseLogicalRequest } from './logical-request.js';
import type { LogicalRequest } from './logical.js';
import { renderFailure, renderResponse } from './render-response.js';
import { routeRequest, type RoutedResponse } from './router.js';
import { renderHealth, renderSealStatus } from './routes/sys-health.js';
import { createStoreHealth } from './store-health.js';
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
  /**
   * Where a server-side failure (a 5xx answer) is reported, one line with the request id; the
   * answer itself only says `internal error`. Without it nothing is logged.
   */
  logError?: (line: string) => void;
}

// Reads and lists run on a snapshot; everything else is one transaction under the store lock.
function isWrite(request: LogicalRequest): boolean {
  return request.operation !== 'read' && request.operation !== 'list';
}

// Vault's HTTP API over a Store, as a socket-free handler: the HTTP server serves it and the
// local CLI calls it in-process, so both see exactly the same behaviour.
export function createApiHandler(options: ApiHandlerOptions): WireHandler {
  const now = options.now ?? Date.now;
  const clusterId = options.clusterId ?? 'secretrun-local';
  const routerOptions = { random: (n: number) => new Uint8Array(randomBytes(n)) };
  const health = createStoreHealth(options.store, {
    onFailure: (error) => options.logError?.(renderFailureLine('-', 'GET', '/v1/sys/health', error)),
  });
  // Writes from this process queue here instead of competing for the store's file lock,
  // which would make them poll and starve each other under load (the lock still orders this
  // process against other processes).
  let writes: Promise<unknown> = Promise.resolve();
  const update = <T>(fn: (storage: Storage) => T): Promise<T> => {
    const result = writes.then(() => options.store.update(fn));
    writes = result.catch(() => undefined);
    return result;
  };

  // A failure as an answer; a server-side one is logged with the request's id.
  const fail = (error: unknown, wire: WireHead, requestId: string | undefined): WireResponse => {
    if (options.rethrow?.(error)) throw error;
    const response = renderFailure(error);
    if (response.status >= 500) options.logError?.(renderFailureLine(requestId ?? randomUUID(), wire.method, wire.path, error));
    return response;
  };

  // `sys/health` and `sys/seal-status` answer without a token and without going through the
  // store, so that they still answer (as a sealed node would) when the store fails its checks.
  const isHealth = (request: LogicalRequest): boolean =>
    request.operation === 'read' && (request.path === 'sys/health' || request.path === 'sys/seal-status');
  const answerHealth = async (request: LogicalRequest): Promise<WireResponse> => {
    const condition = await health.check();
    const response = request.path === 'sys/health' ? renderHealth(condition, now(), clusterId) : renderSealStatus(condition, clusterId);
    return renderResponse(request, response);
  };

  const handle = async (wire: WireRequest): Promise<WireResponse> => {
    let requestId: string | undefined;
    try {
      const request = parseLogicalRequest(wire);
      requestId = request.id;
      // Checked before awaiting anything: an extra await on every request showed in bench/server.
      if (isHealth(request)) return await answerHealth(request);
      const at = now();
      const run = (storage: Storage): RoutedResponse => {
        const caller = options.authenticate?.(request, storage, at);
        return routeRequest({ storage, request, now: at, caller }, routerOptions);
      };
      const routed = isWrite(request) ? await update(run) : await options.store.read(run);
      const answered = addIgnoredParametersWarning(routed.response, request.data, routed.fields);
      const response = renderResponse(request, answered, routed.mountType);
      // Vault CE ignores namespaces for routing but echoes the header back.
      if (request.namespace === undefined) return response;
      return { ...response, headers: { ...response.headers, 'x-vault-namespace': request.namespace } };
    } catch (error) {
      return fail(error, wire, requestId);
    }
  };

  // Before the transport reads a large body: the token is checked on the head alone, so an
  // unauthenticated client is refused without the server ever holding its body.
  const admit = async (head: WireHead): Promise<WireResponse | undefined> => {
    const authenticate = options.authenticate;
    if (authenticate === undefined) return undefined;
    let requestId: string | undefined;
    try {
      const request = parseLogicalRequest({ ...head, body: Buffer.alloc(0) });
      requestId = request.id;
      const at = now();
      await options.store.read((storage) => authenticate(request, storage, at));
      return undefined;
    } catch (error) {
      return fail(error, head, requestId);
    }
  };

  return Object.assign(handle, { admit });
}
