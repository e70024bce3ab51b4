import { randomBytes, randomUUID } from 'node:crypto';
import type { AuditDevice } from '../audit/audit-table.js';
import type { Caller } from '../auth/token-record.js';
import { SecretrunError } from '../errors.js';
import type { Storage, Store } from '../store/storage.js';
import { createAccessRouteLoader, needsAccessRoutes } from './access-route-loader.js';
import { createDynamicLoader, type DynamicLoader } from './dynamic-loader.js';
import { renderFailureLine } from './failure-line.js';
import { addIgnoredParametersWarning } from './ignored-parameters.js';
import { parseLogicalRequest } from './logical-request.js';
import type { LogicalRequest, LogicalResponse } from './logical.js';
import { renderFailure, renderResponse } from './render-response.js';
import { existenceOf, routeRequest, type RoutedResponse } from './router.js';
import { renderHealth, renderSealStatus } from './routes/sys-health.js';
import { createStoreHealth } from './store-health.js';
import type { WireHandler, WireHead, WireRequest, WireResponse } from './wire.js';

// Decides who is asking. Runs inside the request's own read or transaction, so the token and
// the data are seen at the same moment; throws permission_denied to refuse the request.
// Undefined for a path served without a token. A token with a use limit is spent in the
// request's transaction: met in a read, the caller comes back with `needsTransaction` and the
// request runs again as a transaction (auth/token-auth.ts).
export type Authenticate = (request: LogicalRequest, storage: Storage, now: number, context: AuthenticateContext) => Caller | undefined;

// Where authentication runs: in a transaction or a read, for a client at this address.
export interface AuthenticateContext {
  transaction: boolean;
  remoteAddress: string;
}

// Decides whether `caller` may do what `request` asks (the ACL of its policies), after
// authentication, in the same read or transaction; throws permission_denied to refuse.
// `existing` is the route's existence check (router.ts existenceOf): undefined for paths
// without one, else whether the target exists (a write to a missing one is a `create`).
export type Authorize = (request: LogicalRequest, caller: Caller | undefined, storage: Storage, existing: boolean | undefined) => void;

// Records requests and responses (audit devices). `begin` runs in the request's read or
// transaction before the route, so it sees the device table of that moment; it throws to
// refuse a request no device could record (Vault fails closed) and returns what records the
// response, or undefined when no device is enabled. In a read (`inRead`), where the route can
// change nothing, the request's line may wait to be written with the response's, in one
// append: the answer still waits for both, and a request neither could record is refused.
export interface Audit {
  begin(storage: Storage, event: AuditEvent, inRead?: boolean): AuditResponse | undefined;
  /** Opens a device `sys/audit/<path>` is about to enable, throwing when it could not write. */
  probe?(path: string, device: AuditDevice): void;
}

// The request as audit devices record it: the decoded request, who asked, and from where.
// Audit devices hash every secret in it themselves (SPEC.md §8); nothing here is pre-hashed.
export interface AuditEvent {
  request: LogicalRequest;
  caller: Caller | undefined;
  remoteAddress: string;
  remotePort?: number;
  /** Milliseconds since the epoch. */
  now: number;
  /** Set when the request was refused before it was served (a bad token, a policy). */
  error?: unknown;
}

// Records the response of one begun request (after it was served or failed); throws when no
// device could record it, which turns the answer into a 500 as in Vault.
export interface AuditResponse {
  /** A promise when the lines wait to be appended with others (a read's); the answer waits for it. */
  end(response: LogicalResponse | undefined, error: unknown, mountType: string | undefined): void | Promise<void>;
  /** Writes a request line that waited, before work with effects (a deferred response) runs. */
  flush(): void;
}

export interface ApiHandlerOptions {
  store: Store;
  /** Milliseconds since the epoch; injected so tests control time. */
  now?: () => number;
  /** Token checking; without it every request is allowed (the in-process local CLI). */
  authenticate?: Authenticate;
  /** Policy checking after authentication; without it an authenticated caller may do anything. */
  authorize?: Authorize;
  /** Audit devices; without it nothing is recorded. */
  audit?: Audit;
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
  /**
   * The database engine and lease manager (loaded on first use); its owner closes it. Without
   * it the handler makes one whose connections close only when idle (tests of other engines).
   */
  dynamic?: DynamicLoader;
  /** Load access control's routes now rather than before the first request that needs them. */
  preloadRoutes?: boolean;
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
  const audit = options.audit;
  const dynamic = options.dynamic ?? createDynamicLoader({ report: (line) => options.logError?.(`secretrun: ${line}`) });
  const access = createAccessRouteLoader();
  // A server serves every path: it loads access control's routes now, not on a request.
  // A failure shows as the first request's internal error, when it awaits the same load.
  if (options.preloadRoutes === true) access.load().catch(() => undefined);
  const routerOptions = { random: (n: number) => new Uint8Array(randomBytes(n)), probeAuditDevice: audit?.probe?.bind(audit), dynamic, access };
  const health = createStoreHealth(options.store, {
    onFailure: (error) => options.logError?.(renderFailureLine('-', 'GET', '/v1/sys/health', error)),
  });
  // Writes go straight to the store, which orders them and makes those that arrive together
  // durable in one pass (group commit).
  const update = <T>(fn: (storage: Storage) => T): Promise<T> => options.store.update(fn);

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

  // Spends one use of a use-limited token in a transaction of its own (authentication spends
  // it); a token already spent or revoked meanwhile has nothing left to spend.
  const spendUse = async (request: LogicalRequest, at: number, remoteAddress: string): Promise<void> => {
    const authenticate = options.authenticate;
    if (authenticate === undefined) return;
    await update((storage) => authenticate(request, storage, at, { transaction: true, remoteAddress })).catch(() => undefined);
  };

  const handle = async (wire: WireRequest): Promise<WireResponse> => {
    let requestId: string | undefined;
    try {
      const request = parseLogicalRequest(wire);
      requestId = request.id;
      // Checked before awaiting anything: an extra await on every request showed in bench/server.
      if (isHealth(request)) return await answerHealth(request);
      if (!access.loaded && needsAccessRoutes(request.path)) await access.load();
      const at = now();
      let caller: Caller | undefined;
      let recorder: AuditResponse | undefined;
      // Undefined when a use-limited token met in a read must be spent: run it as a transaction.
      const run = (storage: Storage, transaction: boolean): RoutedResponse | undefined => {
        const event = { request, caller: undefined as Caller | undefined, remoteAddress: wire.remoteAddress, remotePort: wire.remotePort, now: at };
        caller = undefined;
        try {
          caller = options.authenticate?.(request, storage, at, { transaction, remoteAddress: wire.remoteAddress });
          if (caller?.needsTransaction === true) return undefined;
          event.caller = caller;
          options.authorize?.(request, caller, storage, options.authorize === undefined ? undefined : existenceOf(storage, request, access));
        } catch (error) {
          // A refused request is recorded too, with why (Vault audits failed requests).
          options.audit?.begin(storage, { ...event, error })?.end(undefined, error, undefined);
          throw error;
        }
        recorder = options.audit?.begin(storage, event, !transaction);
        return routeRequest({ storage, request, now: at, caller }, routerOptions);
      };
      let routed: RoutedResponse | undefined;
      let committed = false;
      const inTransaction = (storage: Storage): RoutedResponse | undefined => run(storage, true);
      try {
        routed = isWrite(request) ? await update(inTransaction) : await options.store.read((storage) => run(storage, false));
        routed ??= await update(inTransaction);
        if (routed === undefined) throw new SecretrunError('internal', 'a token use was not spent in its transaction');
        committed = true;
        if (routed.response.kind === 'deferred') {
          recorder?.flush();
          const context = { request, now: at, caller, read: options.store.read.bind(options.store), update };
          routed = { ...routed, response: await routed.response.run(context) };
        }
      } catch (error) {
        await recorder?.end(undefined, error, undefined);
        // The failed transaction took the token's use with it; Vault counts a refused or failed
        // request as a use all the same, so spend it on its own.
        if (!committed && caller?.useLimited === true) await spendUse(request, at, wire.remoteAddress);
        throw error;
      }
      const answered = addIgnoredParametersWarning(routed.response, request.data, routed.fields);
      await recorder?.end(answered, undefined, routed.mountType);
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
      await options.store.read((storage) => {
        try {
          authenticate(request, storage, at, { transaction: false, remoteAddress: head.remoteAddress });
        } catch (error) {
          // Refused before its body was read; recorded all the same (without the body).
          const event = { request, caller: undefined, remoteAddress: head.remoteAddress, remotePort: head.remotePort, now: at, error };
          options.audit?.begin(storage, event)?.end(undefined, error, undefined);
          throw error;
        }
      });
      return undefined;
    } catch (error) {
      return fail(error, head, requestId);
    }
  };

  return Object.assign(handle, { admit });
}
