import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { renderFailureLine } from '../../src/http/failure-line.js';

describe('renderFailureLine', () => {
  const id = '6f1c9a52-0d3b-4c1e-9f2a-1b2c3d4e5f60';

  it('names the request and our error by code and message, on one line', () => {
    const error = new SecretrunError('store_integrity', 'store /srv/store.json was modified\noutside secretrun', { hint: 'Restore it.' });
    expect(renderFailureLine(id, 'GET', '/v1/secret/data/app', error)).toBe(
      `secretrun server: request ${id} (GET /v1/secret/data/app) failed: store_integrity: store /srv/store.json was modified outside secretrun`,
    );
  });

  it('gives a foreign error its name, first message line and where it was thrown, never its stack', () => {
    const error = new TypeError('cannot read x\nsecond line');
    const line = renderFailureLine(id, 'PUT', '/v1/secret/data/app', error);
    expect(line).toMatch(new RegExp(`^secretrun server: request ${id} \\(PUT /v1/secret/data/app\\) failed: internal: TypeError: cannot read x \\(at .+\\)$`));
    expect(line).not.toContain('\n');
    expect(line).not.toContain('second line');
    expect(renderFailureLine(id, 'GET', '/v1/x', 'text')).toBe(`secretrun server: request ${id} (GET /v1/x) failed: internal: a non-Error value (string) was thrown`);
  });
});
