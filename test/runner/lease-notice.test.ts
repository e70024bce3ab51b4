import { describe, expect, it } from 'vitest';
import { renderLeaseNotice } from '../../src/runner/lease-notice.js';
import type { VariableOrigin } from '../../src/runner/resolve-secrets.js';

const origin = (name: string, ref: string): VariableOrigin => ({ name, kind: 'reference', refs: [ref], where: 'secretrun.yaml:2:3', masked: true });

describe('renderLeaseNotice', () => {
  it('names the variables of each lease, its id and its end, never a value', () => {
    const leases = [
      { path: 'database/creds/app', leaseId: 'database/creds/app/AbC', expiresAt: Date.UTC(2026, 0, 2, 3, 4, 5) },
      { path: 'aws/creds/deploy', leaseId: 'aws/creds/deploy/XyZ', expiresAt: Date.UTC(2026, 0, 2, 4, 0, 0) },
    ];
    const origins = [origin('DB_USER', 'database/creds/app#username'), origin('DB_PASS', 'database/creds/app#password'), origin('OTHER', 'database/creds/application#password'), origin('KEY', 'aws/creds/deploy#access_key')];
    expect(renderLeaseNotice(leases, origins)).toBe(
      'secretrun: DB_USER, DB_PASS (database/creds/app) are leased until 2026-01-02T03:04:05.000Z (lease database/creds/app/AbC; end it with `secretrun lease revoke database/creds/app/AbC`)\n' +
        'secretrun: KEY (aws/creds/deploy) is leased until 2026-01-02T04:00:00.000Z (lease aws/creds/deploy/XyZ; end it with `secretrun lease revoke aws/creds/deploy/XyZ`)\n',
    );
  });
});
