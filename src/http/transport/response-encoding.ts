import { STATUS_CODES } from 'node:http';
import type { WireResponse } from '../wire.js';

// Turns a WireResponse into the bytes of an HTTP/1.1 response. The transport owns framing
// (Content-Length, Connection, Date); the handler owns everything else. Every response
// carries Vault's `Content-Type: application/json` and `Cache-Control: no-store` unless the
// handler set them itself.

// How the transport frames one response.
export interface ResponseFraming {
  /** Keep the connection open after this response. */
  keepAlive: boolean;
  /** The request was HTTP/1.0: keep-alive must then be announced explicitly. */
  http10: boolean;
  /** The request was HEAD: send the length but not the body. */
  headRequest: boolean;
  now: Date;
}

const framingHeaders = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']);
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// A Vault-shaped error response: `{"errors":[message]}` as Go's encoder writes it.
export function buildErrorResponse(status: number, message: string): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: `${JSON.stringify({ errors: [message] })}\n`,
  };
}

// Go's canonical header spelling (`content-type` → `Content-Type`), for readable wire dumps.
// Remembered per name: a server sends the same few headers on every response.
const canonicalNames = new Map<string, string>();
const canonicalName = (name: string): string => {
  let canonical = canonicalNames.get(name);
  if (canonical === undefined) {
    canonical = name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
    if (canonicalNames.size < 256) canonicalNames.set(name, canonical);
  }
  return canonical;
};

// The Date header changes once a second; formatting it per response showed in profiles.
let dateSecond = -1;
let dateText = '';
function httpDate(now: Date): string {
  const second = Math.floor(now.getTime() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = now.toUTCString();
  }
  return dateText;
}

// The response bytes; throws on a status or header a client could not parse safely.
export function encodeResponse(response: WireResponse, framing: ResponseFraming): Buffer {
  const { status } = response;
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new TypeError(`invalid response status: ${String(status)}`);
  const headers = new Map<string, string>([
    ['content-type', 'application/json'],
    ['cache-control', 'no-store'],
  ]);
  for (const [name, value] of Object.entries(response.headers)) {
    if (!tokenPattern.test(name)) throw new TypeError(`invalid response header name: ${JSON.stringify(name)}`);
    if (typeof value !== 'string' || /[\r\n\0]|[^\x00-\xff]/.test(value)) throw new TypeError(`invalid value for response header ${name}`);
    if (!framingHeaders.has(name.toLowerCase())) headers.set(name.toLowerCase(), value);
  }
  const noBody = status === 204 || status === 304;
  const bodyLength = noBody ? 0 : Buffer.byteLength(response.body, 'utf8');
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
  for (const [name, value] of headers) head += `${canonicalName(name)}: ${value}\r\n`;
  head += `Date: ${httpDate(framing.now)}\r\n`;
  if (!noBody) head += `Content-Length: ${bodyLength}\r\n`;
  if (!framing.keepAlive) head += 'Connection: close\r\n';
  else if (framing.http10) head += 'Connection: keep-alive\r\n';
  head += '\r\n';
  if (framing.headRequest || noBody) return Buffer.from(head, 'latin1');
  // One buffer for head and body: a response is written with a single socket write, and
  // building it in place saves two copies per response.
  const bytes = Buffer.allocUnsafe(head.length + bodyLength);
  bytes.write(head, 0, 'latin1');
  bytes.write(response.body, head.length, 'utf8');
  return bytes;
}
