import { describe, expect, it } from 'vitest';
import { buildErrorResponse, encodeResponse } from '../../../src/http/transport/response-encoding.js';

const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const framing = { keepAlive: true, http10: false, headRequest: false, now };

describe('encodeResponse', () => {
  it('adds Vault headers and framing, keeping the handler headers', () => {
    const bytes = encodeResponse({ status: 200, headers: { 'x-vault-namespace': 'ns1', 'content-length': '999' }, body: '{"a":"é"}\n' }, framing);
    expect(bytes.toString('utf8')).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nX-Vault-Namespace: ns1\r\n' +
        'Date: Fri, 02 Jan 2026 03:04:05 GMT\r\nContent-Length: 11\r\n\r\n{"a":"é"}\n',
    );
  });

  it('sends no body or length on 204, and no body for HEAD', () => {
    expect(encodeResponse({ status: 204, headers: { 'content-type': 'application/json' }, body: '' }, { ...framing, keepAlive: false }).toString()).toBe(
      'HTTP/1.1 204 No Content\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nDate: Fri, 02 Jan 2026 03:04:05 GMT\r\nConnection: close\r\n\r\n',
    );
    const head = encodeResponse({ status: 200, headers: {}, body: 'abc' }, { ...framing, headRequest: true, http10: true }).toString();
    expect(head).toContain('Content-Length: 3\r\nConnection: keep-alive\r\n\r\n');
    expect(head.endsWith('\r\n\r\n')).toBe(true);
  });

  it('refuses header injection and impossible statuses', () => {
    expect(() => encodeResponse({ status: 200, headers: { 'x-a': 'b\r\nx: y' }, body: '' }, framing)).toThrow(/invalid value for response header x-a/);
    expect(() => encodeResponse({ status: 200, headers: { 'x a': 'b' }, body: '' }, framing)).toThrow(/invalid response header name/);
    expect(() => encodeResponse({ status: 99, headers: {}, body: '' }, framing)).toThrow(/invalid response status/);
  });

  it('builds Vault-shaped error bodies', () => {
    expect(buildErrorResponse(413, 'http: request body too large')).toEqual({
      status: 413,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: '{"errors":["http: request body too large"]}\n',
    });
  });
});
