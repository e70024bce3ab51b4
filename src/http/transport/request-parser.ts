import { createByteQueue } from './byte-queue.js';

// An incremental HTTP/1.1 request parser. Node's own parser (llhttp) rejects the `LIST`
// method that hvac and node-vault send, so the transport parses requests itself. It accepts
// any method token, and is strict where leniency would let two parsers disagree about where
// a request ends (request smuggling): no obs-fold, no space before a colon, no
// Content-Length together with Transfer-Encoding, no conflicting Content-Lengths.
// Line endings may be CRLF or a bare LF, as Go's server (and so Vault) accepts.

// The request line and headers of one request.
export interface RequestHead {
  method: string;
  /** The path part of the request target, still percent-encoded. */
  path: string;
  /** The query string without the `?`, '' when there is none. */
  rawQuery: string;
  version: '1.0' | '1.1';
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Whether the client wants the connection kept open after this request. */
  keepAlive: boolean;
  /** The client waits for `100 Continue` before sending the body. */
  expectContinue: boolean;
}

// Why a request cannot be served; the connection is closed after answering.
export interface ParseError {
  kind: 'error';
  status: 400 | 413 | 431 | 501 | 505;
  message: string;
}

// How the body of a request is framed: none, a Content-Length, or chunks of unknown total.
export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };

// One step of progress: nothing yet, headers done (body follows), a whole request, or an error.
export type ParseStep =
  | { kind: 'incomplete' }
  | { kind: 'head'; head: RequestHead; body: BodyFraming }
  | { kind: 'request'; head: RequestHead; body: Buffer }
  | ParseError;

// Limits the parser enforces while reading.
export interface ParserLimits {
  maxHeaderBytes: number;
  maxBodyBytes: number;
}

// A parser over the bytes of one connection.
export interface RequestParser {
  push(chunk: Buffer): void;
  /** Advances as far as the received bytes allow. Call again after every `head`/`request`. */
  next(): ParseStep;
  /** True between requests when no byte of the next request has arrived. */
  readonly idle: boolean;
  /** Bytes received and held: not yet consumed, plus the body read so far of this request. */
  readonly heldBytes: number;
}

type Phase =
  | { name: 'head'; scanFrom: number; lineStart: number }
  | { name: 'body-pending'; head: RequestHead; framing: BodyFraming }
  | { name: 'length'; head: RequestHead; remaining: number }
  | { name: 'chunk-size'; head: RequestHead }
  | { name: 'chunk-data'; head: RequestHead; remaining: number }
  | { name: 'chunk-end'; head: RequestHead }
  | { name: 'trailer'; head: RequestHead; bytes: number }
  | { name: 'failed'; error: ParseError };

const LF = 0x0a;
const CR = 0x0d;
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const requestLinePattern = /^([^ ]+) ([^ ]+) HTTP\/(\d)\.(\d)$/;
const maxChunkLineBytes = 4096;

const fail = (status: ParseError['status'], message: string): ParseError => ({ kind: 'error', status, message });

// Creates a parser for one connection.
export function createRequestParser(limits: ParserLimits): RequestParser {
  const queue = createByteQueue();
  let phase: Phase = { name: 'head', scanFrom: 0, lineStart: 0 };
  let bodyParts: Buffer[] = [];
  let bodyBytes = 0;

  const startHead = (): void => {
    phase = { name: 'head', scanFrom: 0, lineStart: 0 };
    bodyParts = [];
    bodyBytes = 0;
  };
  const failWith = (error: ParseError): ParseError => {
    phase = { name: 'failed', error };
    return error;
  };
  const takeBody = (max: number): number => {
    const count = Math.min(max, queue.length);
    if (count > 0) bodyParts.push(queue.take(count));
    return count;
  };
  const finish = (head: RequestHead): ParseStep => {
    const body = Buffer.concat(bodyParts, bodyBytes);
    startHead();
    return { kind: 'request', head, body };
  };
  // Reads one line (through its LF) from the queue; undefined when it is not complete yet.
  const takeLine = (): string | undefined => {
    const end = queue.indexOf(LF, 0);
    if (end === -1) return undefined;
    return stripCr(queue.take(end + 1).toString('latin1', 0, end));
  };

  const step = (): ParseStep => {
    switch (phase.name) {
      case 'failed':
        return phase.error;
      case 'head': {
        // Clients may send stray line breaks between requests (RFC 9112 §2.2).
        if (phase.scanFrom === 0) {
          while (queue.byteAt(0) === CR || queue.byteAt(0) === LF) queue.take(1);
        }
        for (;;) {
          const end = queue.indexOf(LF, phase.scanFrom);
          if (end === -1) {
            phase.scanFrom = queue.length;
            if (queue.length > limits.maxHeaderBytes) return failWith(fail(431, 'request headers too large'));
            return { kind: 'incomplete' };
          }
          if (end + 1 > limits.maxHeaderBytes) return failWith(fail(431, 'request headers too large'));
          const lineLength = end - phase.lineStart;
          const empty = lineLength === 0 || (lineLength === 1 && queue.byteAt(phase.lineStart) === CR);
          if (empty && phase.lineStart > 0) {
            const text = queue.take(end + 1).toString('latin1');
            const parsed = parseHead(text, limits);
            if (parsed.kind === 'error') return failWith(parsed);
            phase = { name: 'body-pending', head: parsed.head, framing: parsed.framing };
            return { kind: 'head', head: parsed.head, body: parsed.framing };
          }
          phase.lineStart = end + 1;
          phase.scanFrom = end + 1;
        }
      }
      case 'body-pending': {
        const { head, framing } = phase;
        if (framing.kind === 'none') return finish(head);
        phase = framing.kind === 'length' ? { name: 'length', head, remaining: framing.length } : { name: 'chunk-size', head };
        return step();
      }
      case 'length': {
        const got = takeBody(phase.remaining);
        bodyBytes += got;
        phase.remaining -= got;
        return phase.remaining === 0 ? finish(phase.head) : { kind: 'incomplete' };
      }
      case 'chunk-size': {
        const line = takeLine();
        if (line === undefined) {
          if (queue.length > maxChunkLineBytes) return failWith(fail(400, 'malformed chunked encoding'));
          return { kind: 'incomplete' };
        }
        const sizeText = (line.split(';', 1)[0] ?? '').trimEnd();
        if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText)) return failWith(fail(400, 'malformed chunked encoding'));
        const size = Number.parseInt(sizeText, 16);
        if (bodyBytes + size > limits.maxBodyBytes) return failWith(fail(413, 'http: request body too large'));
        phase = size === 0 ? { name: 'trailer', head: phase.head, bytes: 0 } : { name: 'chunk-data', head: phase.head, remaining: size };
        return step();
      }
      case 'chunk-data': {
        const got = takeBody(phase.remaining);
        bodyBytes += got;
        phase.remaining -= got;
        if (phase.remaining > 0) return { kind: 'incomplete' };
        phase = { name: 'chunk-end', head: phase.head };
        return step();
      }
      case 'chunk-end': {
        const first = queue.byteAt(0);
        if (first === undefined || (first === CR && queue.length < 2)) return { kind: 'incomplete' };
        if (first === LF) queue.take(1);
        else if (first === CR && queue.byteAt(1) === LF) queue.take(2);
        else return failWith(fail(400, 'malformed chunked encoding'));
        phase = { name: 'chunk-size', head: phase.head };
        return step();
      }
      case 'trailer': {
        // Trailer fields are read and dropped: nothing in Vault's API uses them.
        for (;;) {
          const end = queue.indexOf(LF, 0);
          if (end === -1) {
            if (phase.bytes + queue.length > limits.maxHeaderBytes) return failWith(fail(431, 'request headers too large'));
            return { kind: 'incomplete' };
          }
          phase.bytes += end + 1;
          if (phase.bytes > limits.maxHeaderBytes) return failWith(fail(431, 'request headers too large'));
          const line = takeLine() ?? '';
          if (line === '') return finish(phase.head);
        }
      }
    }
  };

  return {
    push(chunk) {
      queue.push(chunk);
    },
    next: step,
    get idle() {
      return phase.name === 'head' && queue.length === 0;
    },
    get heldBytes() {
      return queue.length + bodyBytes;
    },
  };
}

const stripCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);

// Whether `list` (a comma-separated header value) holds `token`, compared case-insensitively.
function hasListToken(list: string | undefined, token: string): boolean {
  if (list === undefined) return false;
  for (const item of list.split(',')) if (item.trim().toLowerCase() === token) return true;
  return false;
}

const isBlank = (code: number): boolean => code === 0x20 || code === 0x09;

// Parses the request line and header fields (the text up to and including the empty line).
// It walks the text line by line with indexOf instead of splitting it, and trims values by
// hand: this runs once per request and was a visible share of the server's CPU time.
function parseHead(text: string, limits: ParserLimits): { kind: 'head'; head: RequestHead; framing: BodyFraming } | ParseError {
  const firstEnd = text.indexOf('\n');
  const requestLine = stripCr(text.slice(0, firstEnd === -1 ? text.length : firstEnd));
  const match = requestLinePattern.exec(requestLine);
  if (!match) return fail(400, 'malformed HTTP request line');
  const [, method = '', target = '', major, minor] = match;
  if (!tokenPattern.test(method)) return fail(400, 'malformed HTTP method');
  if (major !== '1') return fail(505, 'unsupported HTTP version');
  const version = minor === '0' ? '1.0' : '1.1';
  // Visible ASCII only: raw bytes >= 0x80 or controls in a target are never valid.
  if (!/^[\x21-\x7e]+$/.test(target)) return fail(400, 'malformed HTTP request target');
  const originForm = target.startsWith('/') ? target : /^https?:\/\/[^/?#]*(.*)$/i.exec(target)?.[1];
  if (originForm === undefined) return fail(400, 'malformed HTTP request target');
  const pathAndQuery = originForm === '' || originForm.startsWith('?') ? `/${originForm}` : originForm;
  const queryAt = pathAndQuery.indexOf('?');
  const path = queryAt === -1 ? pathAndQuery : pathAndQuery.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : pathAndQuery.slice(queryAt + 1);

  const headers: Record<string, string> = {};
  const contentLengths: string[] = [];
  // The head ends with the first empty line (the scanner in createRequestParser stopped there).
  for (let at = firstEnd + 1; firstEnd !== -1; ) {
    const end = text.indexOf('\n', at);
    if (end === -1) break;
    const lineEnd = end > at && text.charCodeAt(end - 1) === CR ? end - 1 : end;
    if (lineEnd === at) break;
    const line = text.slice(at, lineEnd);
    at = end + 1;
    if (isBlank(line.charCodeAt(0))) return fail(400, 'malformed HTTP header: obsolete line folding');
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon);
    if (!tokenPattern.test(name)) return fail(400, 'malformed HTTP header');
    let from = colon + 1;
    let to = line.length;
    while (from < to && isBlank(line.charCodeAt(from))) from++;
    while (to > from && isBlank(line.charCodeAt(to - 1))) to--;
    const value = line.slice(from, to);
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return fail(400, 'malformed HTTP header value');
    const key = name.toLowerCase();
    if (key === 'content-length') contentLengths.push(value);
    if (key === 'host' && headers.host !== undefined) return fail(400, 'too many Host headers');
    const previous = headers[key];
    headers[key] = previous === undefined ? value : `${previous}, ${value}`;
  }
  if (version === '1.1' && headers.host === undefined) return fail(400, 'missing required Host header');

  let framing: BodyFraming = { kind: 'none' };
  const transferEncoding = headers['transfer-encoding'];
  if (transferEncoding !== undefined) {
    if (contentLengths.length > 0) return fail(400, 'both Transfer-Encoding and Content-Length are set');
    if (version === '1.0') return fail(400, 'Transfer-Encoding is not allowed in HTTP/1.0');
    if (transferEncoding.toLowerCase() !== 'chunked') return fail(501, 'unsupported transfer encoding');
    framing = { kind: 'chunked' };
  } else if (contentLengths.length > 0) {
    const first = contentLengths[0] ?? '';
    if (!/^\d{1,15}$/.test(first) || contentLengths.some((value) => value !== first)) {
      return fail(400, 'malformed Content-Length');
    }
    const length = Number(first);
    if (length > limits.maxBodyBytes) return fail(413, 'http: request body too large');
    if (length > 0) framing = { kind: 'length', length };
  }

  const keepAlive = version === '1.1' ? !hasListToken(headers.connection, 'close') : hasListToken(headers.connection, 'keep-alive');
  const expectContinue = version === '1.1' && (headers.expect ?? '').toLowerCase() === '100-continue';
  return { kind: 'head', head: { method, path, rawQuery, version, headers, keepAlive, expectContinue }, framing };
}
