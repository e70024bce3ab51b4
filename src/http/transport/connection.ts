import type { Socket } from 'node:net';
import type { WireHandler, WireRequest, WireResponse } from '../wire.js';
import { checkRequestPath } from './request-path.js';
import { createRequestParser } from './request-parser.js';
import type { ParserLimits, RequestHead } from './request-parser.js';
import { buildErrorResponse, encodeResponse } from './response-encoding.js';

// Serves HTTP/1.1 requests on one socket, one at a time: the next request (pipelined or
// not) is parsed only after the previous response was written, which keeps responses in
// request order without a queue, as Go's server does. Every phase is under a deadline so a
// slow or stalled client only ever holds its own socket.

// What a connection needs from the server.
export interface ConnectionOptions {
  handler: WireHandler;
  limits: ParserLimits;
  /** From the first byte of a request (or from accept) to the end of its headers. */
  headersTimeoutMs: number;
  /** From the first byte of a request to the end of its body. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** True once the server shuts down: finish the current request, then close. */
  isClosing: () => boolean;
  logError: (line: string) => void;
  peer: { address: string; port: number };
}

// Where a connection is in its life; graceful shutdown closes `idle` ones at once.
export type ConnectionState = 'idle' | 'reading' | 'handling' | 'closing' | 'closed';

// A served socket, as the server sees it.
export interface Connection {
  readonly state: ConnectionState;
  /** Closes the connection now unless a request is being read or handled. */
  closeIfIdle(): void;
  /** Settles when the socket is closed. */
  readonly closed: Promise<void>;
}

// After answering with `Connection: close`, keep reading (and dropping) what the client
// still sends for this long, so that closing does not reset the connection before the
// client has read the answer (e.g. a 413 sent while the body is still arriving).
const lingerMs = 1000;
const continueLine = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');

// Starts serving `socket`; the returned object tracks it until it closes.
export function serveConnection(socket: Socket, options: ConnectionOptions): Connection {
  const parser = createRequestParser(options.limits);
  let state: ConnectionState = 'idle';
  let timer: NodeJS.Timeout | undefined;
  let requestDeadline = 0;
  let peerEnded = false;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });

  const arm = (ms: number, onFire: () => void): void => {
    clearTimeout(timer);
    timer = setTimeout(onFire, Math.max(0, ms));
  };
  const destroy = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };

  const closeWith = (bytes: Buffer): void => {
    state = 'closing';
    socket.resume();
    if (peerEnded) {
      socket.end(bytes, destroy);
      return;
    }
    socket.end(bytes);
    arm(lingerMs, destroy);
  };
  const answerAndClose = (response: WireResponse): void => {
    closeWith(encodeResponse(response, { keepAlive: false, http10: false, headRequest: false, now: new Date() }));
  };
  const timedOut = (): void => answerAndClose(buildErrorResponse(408, 'request timed out'));

  const beginRequest = (): void => {
    state = 'reading';
    requestDeadline = Date.now() + options.requestTimeoutMs;
    arm(Math.min(options.headersTimeoutMs, options.requestTimeoutMs), timedOut);
  };

  const waitForNextRequest = (): void => {
    if (parser.idle) {
      state = 'idle';
      arm(options.keepAliveTimeoutMs, destroy);
      if (peerEnded) destroy();
    } else {
      beginRequest();
      pump();
    }
    socket.resume();
  };

  const pump = (): void => {
    while (state === 'reading') {
      const step = parser.next();
      switch (step.kind) {
        case 'incomplete':
          if (peerEnded) destroy();
          return;
        case 'head':
          arm(requestDeadline - Date.now(), timedOut);
          if (step.head.expectContinue) socket.write(continueLine);
          break;
        case 'request':
          state = 'handling';
          clearTimeout(timer);
          socket.pause();
          void respond(step.head, step.body);
          return;
        case 'error':
          answerAndClose(buildErrorResponse(step.status, step.message));
          return;
      }
    }
  };

  const respond = async (head: RequestHead, body: Buffer): Promise<void> => {
    try {
      const response = await answer(head, body);
      if (socket.destroyed) return;
      const keepAlive = head.keepAlive && !peerEnded && !options.isClosing();
      const framing = { keepAlive, http10: head.version === '1.0', headRequest: head.method === 'HEAD', now: new Date() };
      let bytes: Buffer;
      try {
        bytes = encodeResponse(response, framing);
      } catch (error) {
        options.logError(describeFailure(head, error));
        bytes = encodeResponse(buildErrorResponse(500, 'internal error'), framing);
      }
      if (!keepAlive) {
        closeWith(bytes);
        return;
      }
      if (socket.write(bytes)) {
        waitForNextRequest();
        return;
      }
      // The client is not reading its responses: read nothing more from it until it does.
      arm(options.keepAliveTimeoutMs, destroy);
      socket.once('drain', () => {
        if (!socket.destroyed) waitForNextRequest();
      });
    } catch (error) {
      // Only a bug in the transport itself gets here; lose this connection, never the server.
      options.logError(describeFailure(head, error));
      destroy();
    }
  };

  const answer = async (head: RequestHead, body: Buffer): Promise<WireResponse> => {
    const pathProblem = checkRequestPath(head.path);
    if (pathProblem !== undefined) return buildErrorResponse(400, pathProblem);
    const request: WireRequest = {
      method: head.method,
      path: head.path,
      query: new URLSearchParams(head.rawQuery),
      headers: head.headers,
      body,
      remoteAddress: options.peer.address,
      remotePort: options.peer.port,
    };
    try {
      return await options.handler(request);
    } catch (error) {
      options.logError(describeFailure(head, error));
      return buildErrorResponse(500, 'internal error');
    }
  };

  socket.on('data', (chunk: Buffer) => {
    if (state === 'closing' || state === 'closed') return;
    parser.push(chunk);
    if (state === 'idle') beginRequest();
    if (state === 'reading') pump();
  });
  socket.on('end', () => {
    peerEnded = true;
    if (state === 'idle' || state === 'closing') destroy();
    else if (state === 'reading') pump();
  });
  socket.on('error', () => {
    // A reset or a TLS failure only ends this connection; 'close' follows.
  });
  socket.on('close', () => {
    state = 'closed';
    clearTimeout(timer);
    resolveClosed();
  });
  // A fresh connection must deliver its first request headers in time (covers the TLS handshake).
  arm(options.headersTimeoutMs, destroy);

  return {
    get state() {
      return state;
    },
    closeIfIdle() {
      if (state === 'idle') destroy();
    },
    closed,
  };
}

// The stderr line for a failed request: method and path only, never headers or bodies,
// which may hold tokens and secret values.
function describeFailure(head: RequestHead, error: unknown): string {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `a non-Error value (${typeof error}) was thrown`;
  return `secretrun server: internal error serving ${head.method} ${head.path}: ${detail}`;
}
