import { describe, expect, it } from 'vitest';
import { createRequestParser } from '../../../src/http/transport/request-parser.js';
import type { ParseStep } from '../../../src/http/transport/request-parser.js';

const limits = { maxHeaderBytes: 4096, maxBodyBytes: 1024 };

interface Parsed {
  method: string;
  path: string;
  rawQuery: string;
  body: string;
  keepAlive: boolean;
}

// Feeds `chunks` one at a time and collects every complete request (or the error).
function parseAll(chunks: Buffer[], parserLimits = limits): { requests: Parsed[]; error?: ParseStep } {
  const parser = createRequestParser(parserLimits);
  const requests: Parsed[] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    for (;;) {
      const step = parser.next();
      if (step.kind === 'incomplete') break;
      if (step.kind === 'error') return { requests, error: step };
      if (step.kind === 'request') {
        const { method, path, rawQuery, keepAlive } = step.head;
        requests.push({ method, path, rawQuery, keepAlive, body: step.body.toString('latin1') });
      }
    }
  }
  return { requests };
}

const stream = Buffer.from(
  'LIST /v1/secret/metadata/ HTTP/1.1\r\nHost: x\r\n\r\n' +
    'PUT /v1/secret/data/a HTTP/1.1\r\nHost: x\r\nContent-Length: 24\r\n\r\nLIST / HTTP/1.1\r\n\r\nLIST ' +
    'POST /v1/b?x=1 HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n4;name=v\r\nLIS\n\r\n2\nT \n0\r\nTrailer: x\r\n\r\n' +
    '\r\nGET /v1/c?list=true HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'latin1',
);
const expected: Parsed[] = [
  { method: 'LIST', path: '/v1/secret/metadata/', rawQuery: '', body: '', keepAlive: true },
  { method: 'PUT', path: '/v1/secret/data/a', rawQuery: '', body: 'LIST / HTTP/1.1\r\n\r\nLIST ', keepAlive: true },
  { method: 'POST', path: '/v1/b', rawQuery: 'x=1', body: 'LIS\nT ', keepAlive: true },
  { method: 'GET', path: '/v1/c', rawQuery: 'list=true', body: '', keepAlive: false },
];

describe('createRequestParser', () => {
  it('parses pipelined requests in one chunk', () => {
    expect(parseAll([stream])).toEqual({ requests: expected });
  });

  it('gives the same result for a split at every byte position', () => {
    for (let at = 1; at < stream.length; at++) {
      expect(parseAll([stream.subarray(0, at), stream.subarray(at)]), `split at ${at}`).toEqual({ requests: expected });
    }
  });

  it('gives the same result one byte at a time', () => {
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    expect(parseAll(bytes)).toEqual({ requests: expected });
  });

  it('reports headers before the body so the server can send 100 Continue', () => {
    const parser = createRequestParser(limits);
    parser.push(Buffer.from('PUT /v1/a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n'));
    const head = parser.next();
    expect(head).toMatchObject({ kind: 'head', head: { expectContinue: true } });
    expect(parser.next()).toEqual({ kind: 'incomplete' });
    parser.push(Buffer.from('{}'));
    expect(parser.next()).toMatchObject({ kind: 'request', body: Buffer.from('{}') });
    expect(parser.idle).toBe(true);
  });

  it('accepts absolute-form targets and HTTP/1.0 without Host', () => {
    expect(parseAll([Buffer.from('GET http://example:8200/v1/a?b=c HTTP/1.1\r\nHost: x\r\n\r\n')]).requests[0]).toMatchObject({ path: '/v1/a', rawQuery: 'b=c' });
    expect(parseAll([Buffer.from('GET /v1/a HTTP/1.0\r\n\r\n')]).requests[0]).toMatchObject({ path: '/v1/a', keepAlive: false });
  });

  it('trims blanks around header values, joins repeated headers and reads Connection as a token list', () => {
    const headOf = (text: string) => {
      const parser = createRequestParser(limits);
      parser.push(Buffer.from(text, 'latin1'));
      const step = parser.next();
      if (step.kind !== 'head') throw new Error(`expected a head, got ${step.kind}`);
      return step.head;
    };
    const head = headOf('GET /v1/a HTTP/1.1\r\nHost:x\r\nX-A: \t one \t\r\nx-a:two\nX-Empty: \t \r\nConnection: Upgrade, CLOSE \r\n\r\n');
    expect(head.headers).toEqual({ host: 'x', 'x-a': 'one, two', 'x-empty': '', connection: 'Upgrade, CLOSE' });
    expect(head.keepAlive).toBe(false);
    expect(headOf('GET /v1/a HTTP/1.1\r\nHost: x\r\nConnection: upgrade,closed\r\n\r\n').keepAlive).toBe(true);
    expect(headOf('GET /v1/a HTTP/1.0\r\nConnection: TE,  Keep-Alive\r\n\r\n').keepAlive).toBe(true);
    expect(headOf('GET /v1/a HTTP/1.0\r\nConnection: keep-alives\r\n\r\n').keepAlive).toBe(false);
  });

  const rejected: [string, string, number][] = [
    ['a malformed request line', 'GET /v1/a\r\nHost: x\r\n\r\n', 400],
    ['a request line with two spaces', 'GET  /v1/a HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a method that is not a token', 'GE(T /v1/a HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['HTTP/2.0', 'GET /v1/a HTTP/2.0\r\nHost: x\r\n\r\n', 505],
    ['a raw non-ASCII target', 'GET /v1/\xff HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['an asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a missing Host in HTTP/1.1', 'GET /v1/a HTTP/1.1\r\n\r\n', 400],
    ['two Host headers', 'GET /v1/a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n', 400],
    ['a space before the colon', 'GET /v1/a HTTP/1.1\r\nHost : x\r\n\r\n', 400],
    ['obsolete line folding', 'GET /v1/a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n', 400],
    ['obsolete line folding with a tab', 'GET /v1/a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\t2\r\n\r\n', 400],
    ['a header line without a colon', 'GET /v1/a HTTP/1.1\r\nHost: x\r\nX-A\r\n\r\n', 400],
    ['a bare CR in a value', 'GET /v1/a HTTP/1.1\r\nHost: x\rY\r\n\r\n', 400],
    ['Content-Length with Transfer-Encoding', 'PUT /v1/a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
    ['conflicting Content-Lengths', 'PUT /v1/a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 400],
    ['a signed Content-Length', 'PUT /v1/a HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\n', 400],
    ['an unknown transfer coding', 'PUT /v1/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 501],
    ['a bad chunk size', 'PUT /v1/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
    ['a chunk without its CRLF', 'PUT /v1/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n', 400],
    ['a declared body over the limit', 'PUT /v1/a HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n\r\n', 413],
    ['chunks adding up over the limit', `PUT /v1/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n${'a'.repeat(512)}\r\n201\r\n`, 413],
    ['headers over the limit', `GET /v1/a HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(5000)}`, 431],
  ];
  for (const [what, text, status] of rejected) {
    it(`rejects ${what} with ${status}`, () => {
      const result = parseAll([Buffer.from(text, 'latin1')]);
      expect(result.requests).toEqual([]);
      expect(result.error).toMatchObject({ kind: 'error', status });
    });
  }

  it('stays failed after an error', () => {
    const parser = createRequestParser(limits);
    parser.push(Buffer.from('BAD\r\n\r\nGET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(parser.next()).toMatchObject({ kind: 'error', status: 400 });
    expect(parser.next()).toMatchObject({ kind: 'error', status: 400 });
  });
});
