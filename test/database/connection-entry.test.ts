import { describe, expect, it } from 'vitest';
import { buildConnectionEntry, isRoleAllowed, literalPasswordWarning, connectionConfigOf, renderConnectionEntry } from '../../src/database/connection-entry.js';
import { errorOf } from '../kv/kv-harness.js';

describe('database connection entries', () => {
  const input = { plugin_name: 'mysql-database-plugin', connection_url: 'root:s3cret@tcp(db:3306)/', allowed_roles: 'my-role, other', max_open_connections: 2 };

  it('keeps the plugin details apart from the engine fields, and a read hides the password', async () => {
    const entry = buildConnectionEntry(undefined, input);
    expect(entry.allowed_roles).toEqual(['my-role', 'other']);
    expect(entry.verify_connection).toBe(true);
    expect(entry.connection_details).toEqual({ connection_url: 'root:s3cret@tcp(db:3306)/', max_open_connections: 2 });
    const shown = renderConnectionEntry({ ...entry, connection_details: { ...entry.connection_details, password: 'pw' } });
    expect(JSON.stringify(shown)).not.toContain('s3cret');
    expect(JSON.stringify(shown)).not.toContain('"pw"');
    expect(shown['connection_details']).toEqual({ connection_url: 'root:xxxxx@tcp(db:3306)/', max_open_connections: 2 });
    expect(literalPasswordWarning(connectionConfigOf(entry))).toContain('Password found in connection_url');
  });

  it('merges an update into the stored details and refuses another plugin', async () => {
    const entry = buildConnectionEntry(undefined, input);
    const updated = buildConnectionEntry(entry, { password: 'new', verify_connection: 'false' });
    expect(updated.connection_details).toMatchObject({ connection_url: 'root:s3cret@tcp(db:3306)/', password: 'new' });
    expect(updated.verify_connection).toBe(false);
    expect(updated.allowed_roles).toEqual(['my-role', 'other']);
    expect((await errorOf(() => buildConnectionEntry(entry, { plugin_name: 'postgresql-database-plugin' }))).message).toContain('cannot change plugin_name');
    expect((await errorOf(() => buildConnectionEntry(undefined, { connection_url: 'x' }))).message).toBe('empty plugin name');
  });

  it('allows roles by name, glob and *', async () => {
    const entry = buildConnectionEntry(undefined, { ...input, allowed_roles: 'app-*, exact' });
    expect(['app-1', 'exact', 'other'].map((role) => isRoleAllowed(entry, role))).toEqual([true, true, false]);
    expect(isRoleAllowed(buildConnectionEntry(undefined, { ...input, allowed_roles: '*' }), 'any')).toBe(true);
    expect(isRoleAllowed(buildConnectionEntry(undefined, { ...input, allowed_roles: '' }), 'any')).toBe(false);
  });
});
