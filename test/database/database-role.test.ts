import { describe, expect, it } from 'vitest';
import { buildDatabaseRole, renderDatabaseRole } from '../../src/database/database-role.js';
import { buildStaticRole } from '../../src/database/static-role.js';
import { errorOf } from '../kv/kv-harness.js';

describe('database roles', () => {
  it('decodes durations and statements as Vault does, and keeps fields an update does not give', async () => {
    const role = buildDatabaseRole(undefined, { db_name: 'db', creation_statements: "CREATE USER '{{name}}'; GRANT x, y ON z", default_ttl: '1h', max_ttl: 86400 });
    expect(role.creation_statements).toEqual(["CREATE USER '{{name}}'; GRANT x, y ON z"]);
    expect([role.default_ttl, role.max_ttl]).toEqual([3600, 86400]);
    const updated = buildDatabaseRole(role, { default_ttl: '30m' });
    expect(renderDatabaseRole(updated)).toMatchObject({ db_name: 'db', default_ttl: 1800, max_ttl: 86400, revocation_statements: [], credential_type: 'password' });
  });

  it("refuses what Vault refuses, in Vault's words", async () => {
    expect((await errorOf(() => buildDatabaseRole(undefined, { creation_statements: 'x' }))).message).toBe('database name is required');
    expect((await errorOf(() => buildDatabaseRole(undefined, { db_name: 'db', default_ttl: '2h', max_ttl: '1h' }))).message).toBe('ttl cannot be greater than max_ttl');
    expect((await errorOf(() => buildStaticRole(undefined, { db_name: 'db', rotation_period: '1h' }))).message).toBe('username is a required field to create a static account');
    expect((await errorOf(() => buildStaticRole(undefined, { db_name: 'db', username: 'u', rotation_period: '2s' }))).message).toBe('rotation_period must be 5 seconds or more');
    const stat = buildStaticRole(undefined, { db_name: 'db', username: 'u', rotation_period: '1h' });
    expect((await errorOf(() => buildStaticRole(stat, { username: 'other' }))).message).toBe('cannot update static account username');
  });
});
