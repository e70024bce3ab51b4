// The contract between the HTTP transport (server.ts: sockets, parsing, limits) and the
// Vault API handler (handler.ts: routing, auth, engines). The handler never sees a socket,
// so it is tested without one and is also what the local CLI calls in-process.

export interface WireRequest {
  /** Upper-case method as sent, including `LIST`. */
  method: string;
  /** The URL path as sent, percent-encoded, e.g. `/v1/secret/data/foo`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
  remoteAddress: string;
  remotePort: number;
}

// A request as known once its head is read, before any of its body.
export type WireHead = Omit<WireRequest, 'body'>;

export interface WireResponse {
  status: number;
  /** Must include `content-type` exactly as Vault sends it. */
  headers: Readonly<Record<string, string>>;
  /** The body as sent; '' for 204 and for Vault's empty 404s. */
  body: string;
}

// Answers one whole request. `admit`, when present, is asked before the transport reads a
// large body: a response refuses the request there (a 403 for a missing or bad token), so an
// unauthenticated client never makes the server hold a large body; undefined lets it go on.
// It must be cheap and must not depend on the body.
export type WireHandler = ((request: WireRequest) => Promise<WireResponse>) & {
  admit?: (head: WireHead) => Promise<WireResponse | undefined>;
};
