import { describe, expect, it } from 'vitest';
import { checkRequestPath } from '../../../src/http/transport/request-path.js';

describe('checkRequestPath', () => {
  it('accepts ordinary and percent-encoded UTF-8 paths', () => {
    for (const path of ['/v1/secret/data/a', '/v1/secret/data/caf%C3%A9', '/v1/a%2Fb', '/v1/a..b/.../c.', '/v1/secret/metadata/']) {
      expect(checkRequestPath(path), path).toBeUndefined();
    }
  });

  it('rejects invalid escapes, invalid UTF-8 and ".." segments', () => {
    expect(checkRequestPath('/v1/%zz')).toBe('invalid URL escape "%zz"');
    expect(checkRequestPath('/v1/a%4')).toBe('invalid URL escape "%4"');
    expect(checkRequestPath('/v1/%ff')).toBe('invalid request path: not valid UTF-8');
    expect(checkRequestPath('/v1/%C3')).toBe('invalid request path: not valid UTF-8');
    for (const path of ['/v1/../sys', '/v1/a/..', '/v1/a/../b', '..', '/v1/%2e%2E/sys', '/v1/a%2F..%2Fb']) {
      expect(checkRequestPath(path), path).toBe('invalid request path: ".." segments are not allowed');
    }
  });
});
