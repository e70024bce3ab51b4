import { describe, expect, it } from 'vitest';
import { buildDatabaseRole, renderDatabaseRole } from '../../src/database/database-role.js';
import { buildStaticRole, missedWindow, nextRotation, renderStaticRole } from '../../src/database/static-role.js';
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

describe('static role rotation fields', () => {
  it('takes a period or a schedule with its window, not both, as Vault does', async () => {
    const scheduled = buildStaticRole(undefined, { db_name: 'db', username: 'u', rotation_schedule: '0 0 * * SAT', rotation_window: '2h' });
    expect([scheduled.rotation_period, scheduled.rotation_schedule, scheduled.rotation_window]).toEqual([0, '0 0 * * SAT', 7200]);
    const account = { password: 'p', last_vault_rotation: Date.parse('2025-01-01T12:00:00Z') };
    expect(new Date(nextRotation(scheduled, account)).toISOString()).toBe('2025-01-04T00:00:00.000Z');
    expect(renderStaticRole(scheduled, account, account.last_vault_rotation)).toMatchObject({ rotation_schedule: '0 0 * * SAT', rotation_window: 7200 });
    expect(renderStaticRole(scheduled, account, account.last_vault_rotation)['rotation_period']).toBeUndefined();
    const due = Date.parse('2025-01-04T00:00:00Z');
    expect([missedWindow(scheduled, due, due + 3_600_000), missedWindow(scheduled, due, due + 3 * 3_600_000)]).toEqual([false, true]);
    // Switching to a period drops the schedule.
    expect(buildStaticRole(scheduled, { rotation_period: '1h' })).toMatchObject({ rotation_period: 3600 });
    expect(buildStaticRole(scheduled, { rotation_period: '1h' }).rotation_schedule).toBeUndefined();
    expect((await errorOf(() => buildStaticRole(undefined, { db_name: 'db', username: 'u', rotation_period: '1h', rotation_schedule: '* * * * *' }))).message).toContain('mutually exclusive');
    expect((await errorOf(() => buildStaticRole(undefined, { db_name: 'db', username: 'u', rotation_schedule: '* * * * *', rotation_window: '10m' }))).message).toBe('rotation_window must be 3600 seconds or more');
    expect((await errorOf(() => buildStaticRole(undefined, { db_name: 'db', username: 'u', rotation_period: '1h', rotation_window: '2h' }))).message).toBe('rotation_window is invalid with use of rotation_period');
    expect((await errorOf(() => buildStaticRole(undefined, { db_name: 'db', username: 'u' }))).message).toBe('one of rotation_schedule or rotation_period must be provided');
  });
});
