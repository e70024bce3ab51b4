import { connect } from 'node:net';
import type { Socket } from 'node:net';

// A raw TCP client for transport tests: writes exact bytes (including methods Node's own
// client machinery would normalise) and reads responses back off the byte stream.

export interface RawResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

export interface RawClient {
  socket: Socket;
  /** Writes and resolves once the bytes were handed to the kernel. */
  write(bytes: string | Buffer): Promise<void>;
  /** The next `count` responses, in order. */
  read(count?: number): Promise<RawResponse[]>;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
  /** Whether the connection is closed. */
  isClosed(): boolean;
  /** Everything received that was not returned by read() yet. */
  pending(): string;
}

// Opens a connection to 127.0.0.1:`port`.
export async function openRawClient(port: number): Promise<RawClient> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffer = Buffer.alloc(0);
  let ended = false;
  let wake: () => void = () => undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    wake();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      ended = true;
      wake();
      resolve();
    }),
  );

  const parseOne = (): RawResponse | undefined => {
    const headEnd = buffer.indexOf('\r\n\r\n');
    if (headEnd === -1) return undefined;
    const lines = buffer.toString('latin1', 0, headEnd).split('\r\n');
    const status = Number((lines[0] ?? '').split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (buffer.length < headEnd + 4 + length) return undefined;
    const body = buffer.toString('utf8', headEnd + 4, headEnd + 4 + length);
    buffer = buffer.subarray(headEnd + 4 + length);
    return { status, headers, body };
  };

  return {
    socket,
    write: (bytes) => new Promise((resolve, reject) => socket.write(bytes, (error) => (error ? reject(error) : resolve()))),
    async read(count = 1) {
      const responses: RawResponse[] = [];
      while (responses.length < count) {
        const next = parseOne();
        if (next) {
          responses.push(next);
          continue;
        }
        if (ended) throw new Error(`connection closed after ${responses.length} of ${count} responses`);
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      return responses;
    },
    closed,
    isClosed: () => ended,
    pending: () => buffer.toString('latin1'),
  };
}
