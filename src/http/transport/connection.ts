import type { Socket } from 'node:net';
import type { WireHandler, WireHead, WireRequest, WireResponse } from '../wire.js';
import type { BodyBudget } from './body-budget.js';
import { checkRequestPath } from './request-path.js';
import { createRequestParser } from './request-parser.js';
import type { BodyFraming, ParserLimits, RequestHead } from './request-parser.js';
import { buildErrorResponse, encodeResponse } from './response-encoding.js';

// Serves HTTP/1.1 requests on one socket, one at a time: the next request (pipelined or
// not) is parsed only after the previous response was written, which keeps responses in
// request order without a queue, as Go's server does. Every phase is under a deadline so a
// slow or stalled client only ever holds its own socket.
//
// Memory: the socket is read only while a request is being read, never while one is handled
// or its answer waits for the client to read. What the connection holds beyond `freeBytes`
// (a large body, an unusually large head) must first be reserved from the server's budget; a
// body announced larger than `freeBytes` is shown to the handler's `admit` (the token check)
// before any of it is read, then reserved whole. Waiting for the budget pauses the socket.

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
  /** The server-wide budget of held request bytes. */
  budget: BodyBudget;
  /** Bytes this connection may hold without a reservation; larger bodies are admitted first. */
  freeBytes: number;
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
  /** Since when (ms since the epoch) the connection has been idle; undefined unless idle. */
  readonly idleSince: number | undefined;
  /** Closes the connection now unless a request is being read or handled. */
  closeIfIdle(): void;
  /** Settles when the socket is closed. */
  readonly closed: Promise<void>;
}

// After answering with `Connection: close`, keep reading (and dropping) what the client
// still sends for this long, so that closing does not reset the connection before the
// client has read the answer (e.g. a 413 sent while the body is still arriving).
const lingerMs = 1000;
// What is read and dropped while lingering, at most; then the socket is left unread until it
// closes. Like Go's server (which discards up to 256 KiB of an unread body), this keeps a
// client's answer from being lost without letting it make the server read a body for nothing.
const lingerReadBytes = 256 * 1024;
const continueLine = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
const busyMessage = 'server busy: too many request bodies in flight; try again later';

// Starts serving `socket`; the returned object tracks it until it closes.
export function serveConnection(socket: Socket, options: ConnectionOptions): Connection {
  const parser = createRequestParser(options.limits);
  const { budget } = options;
  let state: ConnectionState = 'idle';
  let idleSince: number | undefined = Date.now();
  // Why a request being read is not read further: its admission or budget is pending.
  let blocked: 'admit' | 'budget' | undefined;
  let reserved = 0;
  let cancelWait: (() => void) | undefined;
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
  const release = (): void => {
    if (reserved > 0) budget.release(reserved);
    reserved = 0;
  };
  // Reads from the socket only while a request is being read and nothing holds it back.
  const flow = (): void => {
    if (state === 'closing' || state === 'closed') return;
    if ((state === 'idle' || state === 'reading') && blocked === undefined) socket.resume();
    else socket.pause();
  };

  const closeWith = (bytes: Buffer): void => {
    state = 'closing';
    blocked = undefined;
    cancelWait?.();
    cancelWait = undefined;
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
  // A request that waited for the budget until its deadline is refused as "busy", not as slow.
  const timedOut = (): void =>
    answerAndClose(blocked === 'budget' ? buildErrorResponse(503, busyMessage) : buildErrorResponse(408, 'request timed out'));

  const waitForBudget = (bytes: number, then: () => void): void => {
    blocked = 'budget';
    flow();
    cancelWait = budget.wait(bytes, () => {
      cancelWait = undefined;
      reserved += bytes;
      blocked = undefined;
      then();
    });
  };

  const beginRequest = (): void => {
    state = 'reading';
    idleSince = undefined;
    requestDeadline = Date.now() + options.requestTimeoutMs;
    arm(Math.min(options.headersTimeoutMs, options.requestTimeoutMs), timedOut);
  };

  // Parses on as far as the received bytes allow, once what they hold is covered.
  const advance = (): void => {
    if (state !== 'reading' || blocked !== undefined) return;
    const excess = parser.heldBytes - options.freeBytes - reserved;
    if (excess > 0) {
      if (!budget.tryReserve(excess)) {
        waitForBudget(excess, advance);
        return;
      }
      reserved += excess;
    }
    pump();
    flow();
  };

  const waitForNextRequest = (): void => {
    if (parser.idle) {
      state = 'idle';
      idleSince = Date.now();
      arm(options.keepAliveTimeoutMs, destroy);
      if (peerEnded) destroy();
    } else {
      beginRequest();
      advance();
    }
    flow();
  };

  const pump = (): void => {
    while (state === 'reading' && blocked === undefined) {
      const step = parser.next();
      switch (step.kind) {
        case 'incomplete':
          if (peerEnded) destroy();
          return;
        case 'head':
          arm(requestDeadline - Date.now(), timedOut);
          startBody(step.head, step.body);
          break;
        case 'request':
          state = 'handling';
          clearTimeout(timer);
          flow();
          void respond(step.head, step.body);
          return;
        case 'error':
          answerAndClose(buildErrorResponse(step.status, step.message));
          return;
      }
    }
  };

  // Before a body is read: small ones go on at once; a large or chunked one is admitted by the
  // handler (the token check) and a large one reserved whole, the socket paused meanwhile.
  const startBody = (head: RequestHead, framing: BodyFraming): void => {
    const large = framing.kind === 'chunked' || (framing.kind === 'length' && framing.length > options.freeBytes);
    if (!large) {
      if (head.expectContinue && framing.kind !== 'none') socket.write(continueLine);
      return;
    }
    blocked = 'admit';
    flow();
    void admit(head).then((refusal) => {
      if (state !== 'reading' || blocked !== 'admit') return;
      if (refusal !== undefined) {
        answerAndClose(refusal);
        return;
      }
      blocked = undefined;
      const proceed = (): void => {
        if (head.expectContinue) socket.write(continueLine);
        advance();
      };
      const length = framing.kind === 'length' ? framing.length : 0;
      if (length === 0) proceed();
      else if (budget.tryReserve(length)) {
        reserved += length;
        proceed();
      } else waitForBudget(length, proceed);
    });
  };

  const admit = async (head: RequestHead): Promise<WireResponse | undefined> => {
    const pathProblem = checkRequestPath(head.path);
    if (pathProblem !== undefined) return buildErrorResponse(400, pathProblem);
    if (options.handler.admit === undefined) return undefined;
    const request: WireHead = {
      method: head.method,
      path: head.path,
      query: new URLSearchParams(head.rawQuery),
      headers: head.headers,
      remoteAddress: options.peer.address,
      remotePort: options.peer.port,
    };
    try {
      return await options.handler.admit(request);
    } catch (error) {
      options.logError(describeFailure(head, error));
      return buildErrorResponse(500, 'internal error');
    }
  };

  const respond = async (head: RequestHead, body: Buffer): Promise<void> => {
    try {
      const response = await answer(head, body);
      // The body is no longer held: its bytes go back to the budget.
      release();
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

  let lingerRead = 0;
  socket.on('data', (chunk: Buffer) => {
    if (state === 'closing') {
      lingerRead += chunk.length;
      if (lingerRead > lingerReadBytes) socket.pause();
      return;
    }
    if (state === 'closed') return;
    parser.push(chunk);
    if (state === 'idle') beginRequest();
    advance();
  });
  socket.on('end', () => {
    peerEnded = true;
    if (state === 'idle' || state === 'closing') destroy();
    else if (state === 'reading' && blocked === undefined) pump();
  });
  socket.on('error', () => {
    // A reset or a TLS failure only ends this connection; 'close' follows.
  });
  socket.on('close', () => {
    // A request still being handled holds its body until the handler is done; respond() then
    // gives its bytes back.
    const handling = state === 'handling';
    state = 'closed';
    idleSince = undefined;
    clearTimeout(timer);
    cancelWait?.();
    cancelWait = undefined;
    if (!handling) release();
    resolveClosed();
  });
  // A fresh connection must deliver its first request headers in time (covers the TLS handshake).
  arm(options.headersTimeoutMs, destroy);

  return {
    get state() {
      return state;
    },
    get idleSince() {
      return idleSince;
    },
    closeIfIdle() {
      if (state === 'idle') destroy();
    },
    closed,
  };
}

// The stderr line for a failed request: method and path, the error's name and message on one
// line and where it was thrown; never headers or bodies, which may hold tokens and values.
function describeFailure(head: RequestHead, error: unknown): string {
  if (!(error instanceof Error)) return `secretrun server: internal error serving ${head.method} ${head.path}: a non-Error value (${typeof error}) was thrown`;
  const message = error.message.split('\n', 1)[0] ?? '';
  const where = /\n\s+at (.+)/.exec(error.stack ?? '')?.[1];
  return `secretrun server: internal error serving ${head.method} ${head.path}: ${error.name}: ${message}${where === undefined ? '' : ` (at ${where})`}`;
}
