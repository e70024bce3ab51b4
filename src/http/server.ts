import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import type { SecureContext } from 'node:tls';
import { SecretrunError } from '../errors.js';
import type { WireHandler } from './wire.js';
import { createBodyBudget } from './transport/body-budget.js';
import { serveConnection } from './transport/connection.js';
import { createConnectionPool } from './transport/connection-pool.js';
import { readOpenFileLimit } from './transport/open-file-limit.js';
import { buildErrorResponse, encodeResponse } from './transport/response-encoding.js';

// The transport of `secretrun server`: sockets, HTTP/1.1, limits, TLS and shutdown around a
// WireHandler. It parses HTTP itself (src/http/transport/) because Node's parser rejects the
// `LIST` method that hvac and node-vault send; TLS is layered on each accepted socket so one
// code path serves both.

// Options of createVaultServer. Defaults follow Vault's listener.
export interface VaultServerOptions {
  handler: WireHandler;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 8200; 0 picks a free port. */
  port?: number;
  /** PEM certificate chain and private key; without them the server speaks plain HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Largest accepted request body (Vault's `max_request_size`); default 32 MiB. */
  maxRequestBytes?: number;
  /** Largest accepted request line plus headers; default 1 MiB, as Go's server. */
  maxHeaderBytes?: number;
  /** Time allowed for a request's headers (and, on a new connection, the TLS handshake); default 10 s. */
  headersTimeoutMs?: number;
  /** Time allowed for a whole request including its body; default 30 s. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection is kept; default 5 min. */
  keepAliveTimeoutMs?: number;
  /**
   * Request bytes held in memory at once across all connections beyond a small allowance each
   * (bodies being read or handled); default 64 MiB, never less than one largest request.
   * A request that would pass it waits, its socket paused, until bytes are freed or its
   * request timeout ends it with 503.
   */
  maxHeldRequestBytes?: number;
  /**
   * Connections served at once; default the open-file limit less 64 (kept for the store and
   * the process), at most 1024. At the cap a new connection closes the longest-idle one, or
   * is refused with 503 when none is idle.
   */
  maxConnections?: number;
  /** Where internal errors are reported; default stderr. Request bodies are never passed. */
  logError?: (line: string) => void;
}

// Where a listening server can be reached.
export interface VaultServerAddress {
  host: string;
  port: number;
  /** `http://127.0.0.1:8200` or `https://…`, what VAULT_ADDR should be set to. */
  url: string;
}

// A Vault-compatible HTTP server with a start and a graceful stop.
export interface VaultServer {
  listen(): Promise<VaultServerAddress>;
  /** Stops accepting, lets in-flight requests finish, closes idle connections, then resolves. */
  close(): Promise<void>;
  /** Set while listening. */
  readonly address: VaultServerAddress | undefined;
}

const MiB = 1024 * 1024;
// What a connection may hold without reserving from the budget: any ordinary request.
const freeBytesPerConnection = 64 * 1024;
// Descriptors kept for the process itself: the store file, its lock and temp files, stdio.
const reservedDescriptors = 64;
// Refused sockets kept open (to answer 503 and drain) at once; beyond this they are dropped.
const maxRefusing = 16;
const busyResponse = buildErrorResponse(503, 'server busy: too many connections; try again later');

// Creates (but does not start) a server for `options.handler`.
export function createVaultServer(options: VaultServerOptions): VaultServer {
  const host = options.host ?? '127.0.0.1';
  const port = checkInteger('port', options.port ?? 8200, 0, 65535);
  const limits = {
    maxBodyBytes: checkInteger('maxRequestBytes', options.maxRequestBytes ?? 32 * MiB, 0, Number.MAX_SAFE_INTEGER),
    maxHeaderBytes: checkInteger('maxHeaderBytes', options.maxHeaderBytes ?? MiB, 256, Number.MAX_SAFE_INTEGER),
  };
  const headersTimeoutMs = checkInteger('headersTimeoutMs', options.headersTimeoutMs ?? 10_000, 1, 2 ** 31 - 1);
  const requestTimeoutMs = checkInteger('requestTimeoutMs', options.requestTimeoutMs ?? 30_000, 1, 2 ** 31 - 1);
  const keepAliveTimeoutMs = checkInteger('keepAliveTimeoutMs', options.keepAliveTimeoutMs ?? 300_000, 1, 2 ** 31 - 1);
  const heldBytes = checkInteger('maxHeldRequestBytes', options.maxHeldRequestBytes ?? 64 * MiB, 1, Number.MAX_SAFE_INTEGER);
  // One largest request (head and body) must always fit, or it could wait forever.
  const budget = createBodyBudget(Math.max(heldBytes, limits.maxBodyBytes + limits.maxHeaderBytes));
  const maxConnections = checkInteger('maxConnections', options.maxConnections ?? defaultMaxConnections(), 1, 2 ** 31 - 1);
  const logError = options.logError ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const secureContext: SecureContext | undefined =
    options.tls === undefined ? undefined : createSecureContext({ cert: options.tls.cert, key: options.tls.key });

  const connections = createConnectionPool(maxConnections);
  const handshaking = new Set<Socket>();
  const refusing = new Set<Socket>();
  let server: Server | undefined;
  let address: VaultServerAddress | undefined;
  let closing: Promise<void> | undefined;

  const serve = (socket: Socket, peer: { address: string; port: number }): void => {
    const connection = serveConnection(socket, {
      handler: options.handler,
      limits,
      headersTimeoutMs,
      requestTimeoutMs,
      keepAliveTimeoutMs,
      budget,
      freeBytes: freeBytesPerConnection,
      isClosing: () => closing !== undefined,
      logError,
      peer,
    });
    connections.add(connection);
  };

  // A connection over the cap with none idle to close: a plain-HTTP client is told 503 (its
  // request drained briefly so the answer is not lost to a reset); a TLS one is dropped.
  const refuse = (raw: Socket): void => {
    if (secureContext !== undefined || refusing.size >= maxRefusing) {
      raw.destroy();
      return;
    }
    refusing.add(raw);
    const timer = setTimeout(() => raw.destroy(), 1000);
    raw.once('close', () => {
      clearTimeout(timer);
      refusing.delete(raw);
    });
    raw.resume();
    raw.end(encodeResponse(busyResponse, { keepAlive: false, http10: false, headRequest: false, now: new Date() }));
  };

  const accept = (raw: Socket): void => {
    const peer = { address: raw.remoteAddress ?? '', port: raw.remotePort ?? 0 };
    // Resets surface here too under TLS; they end this connection only ('close' follows).
    raw.on('error', () => undefined);
    if (!connections.makeRoom()) {
      refuse(raw);
      return;
    }
    raw.setNoDelay(true);
    if (secureContext === undefined) {
      serve(raw, peer);
      return;
    }
    const secure = new TLSSocket(raw, { isServer: true, secureContext });
    // Until the handshake completes the connection holds no request; shutdown may drop it.
    handshaking.add(secure);
    secure.once('secure', () => handshaking.delete(secure));
    secure.once('close', () => handshaking.delete(secure));
    serve(secure, peer);
  };

  return {
    get address() {
      return address;
    },
    listen() {
      if (server !== undefined) return Promise.reject(new SecretrunError('usage', 'server is already listening'));
      const listening = createServer({ allowHalfOpen: true }, accept);
      server = listening;
      return new Promise<VaultServerAddress>((resolve, reject) => {
        listening.once('error', (error: NodeJS.ErrnoException) => {
          server = undefined;
          reject(
            new SecretrunError('usage', `cannot listen on ${host}:${port}: ${error.code ?? error.message}`, {
              hint: error.code === 'EADDRINUSE' ? 'Choose another address or stop the process using it.' : undefined,
              cause: error,
            }),
          );
        });
        listening.listen({ host, port }, () => {
          const bound = listening.address();
          const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;
          const urlHost = host.includes(':') ? `[${host}]` : host;
          address = { host, port: boundPort, url: `${secureContext ? 'https' : 'http'}://${urlHost}:${boundPort}` };
          // Later failures (e.g. EMFILE while accepting) must not crash the process.
          listening.on('error', (error: Error) => logError(`secretrun server: listener error: ${error.message}`));
          resolve(address);
        });
      });
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => {
          if (server === undefined) resolve();
          else server.close(() => resolve());
        });
        for (const socket of handshaking) socket.destroy();
        for (const socket of refusing) socket.destroy();
        for (const connection of connections.values()) connection.closeIfIdle();
        await Promise.all([...connections.values()].map((connection) => connection.closed));
        await stopped;
        address = undefined;
      })();
      return closing;
    },
  };
}

// Below the open-file limit, so that accepting never fails for want of a descriptor.
function defaultMaxConnections(): number {
  const limit = readOpenFileLimit();
  if (limit === undefined) return 1024;
  return Math.min(1024, Math.max(8, limit - reservedDescriptors));
}

// Validates a numeric option, naming it, the bad value and its type.
function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new SecretrunError('usage', `invalid option ${name}: ${String(value)} (${typeof value}); expected an integer from ${min} to ${max}`);
}
