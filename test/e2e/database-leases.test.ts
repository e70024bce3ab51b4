import { describe, expect, it } from 'vitest';
import { configureDatabaseMount, useDatabaseFixture, writeReaderRole } from '../helpers/database-fixture.js';
import type { DbCredentials } from '../helpers/postgres-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { createSandbox, expectExit, type CliSandbox } from './run-cli.js';

// Leases of database credentials on a real MariaDB, through the CLI on the local store and
// through `secretrun server`: lookup, renew up to max_ttl, revoke, revoke-prefix, and expiry
// (a local command revokes what expired; the server revokes on time by itself). Every check
// that a user is gone tries to log in with its password.

const servers: ServerProcess[] = [];
const db = useDatabaseFixture('mariadb', {
  beforeDrop: async () => {
    for (const server of servers.splice(0)) await server.stop();
  },
});

// A leased credential as `read database/creds/<role>` prints it.
interface Leased extends DbCredentials {
  leaseId: string;
  duration: string;
}

function parseCreds(stdout: string): Leased {
  const row = (key: string): string => new RegExp(`^${key} +(\\S+)$`, 'm').exec(stdout)?.[1] ?? '';
  return { leaseId: row('lease_id'), duration: row('lease_duration'), username: row('username'), password: row('password') };
}

type Run = (args: readonly string[]) => ReturnType<CliSandbox['run']>;

const configure = (run: Run, ttl: { default: string; max: string }): Promise<void> => configureDatabaseMount(run, db, ttl);
const writeRole = (run: Run, role: string, ttl: { default: string; max: string }): Promise<void> => writeReaderRole(run, db, role, ttl);

async function readCreds(run: Run, role = 'my-role'): Promise<Leased> {
  const creds = parseCreds(expectExit(await run(['read', `database/creds/${role}`]), 0).stdout);
  expect(await db.canLogIn(creds)).toBe(true);
  return creds;
}

async function startServer(sandbox: CliSandbox): Promise<Run> {
  const server = await startServerProcess(['-store', sandbox.storePath], sandbox.env, sandbox.dir);
  servers.push(server);
  const env = { VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken ?? '' };
  return (args) => sandbox.run(args, { env });
}

describe.each([
  ['the local store', async (sandbox: CliSandbox): Promise<Run> => (args) => sandbox.run(args)],
  ['secretrun server', startServer],
])('database leases through %s', (_where, connect) => {
  it('a created user can do what it was granted, and nothing else', async () => {
    const run = await connect(createSandbox());
    await configure(run, { default: '1h', max: '24h' });
    const creds = await readCreds(run);
    expect(creds.duration).toBe('1h');
    await db.server.asUser(creds, async (connection) => {
      expect((await connection.query('SELECT name FROM app.items'))[0]).toEqual([{ name: 'one' }]);
      await expect(connection.query("INSERT INTO app.items VALUES (2, 'two')")).rejects.toMatchObject({ errno: 1142 });
    });
  });

  it('looks a lease up, revokes it, and revokes a prefix', async () => {
    const run = await connect(createSandbox());
    await configure(run, { default: '1h', max: '24h' });
    await writeRole(run, 'other', { default: '1h', max: '2h' });
    const first = await readCreds(run);
    const lookup = expectExit(await run(['lease', 'lookup', first.leaseId]), 0).stdout;
    expect(lookup).toMatch(new RegExp(`^id +${first.leaseId}$`, 'm'));
    expect(lookup).toMatch(/^renewable +true$/m);
    expect(lookup).toMatch(/^last_renewal +<nil>$/m);
    expect(lookup).toMatch(/^ttl +(59m\d+s|1h)$/m);

    expect(expectExit(await run(['lease', 'revoke', first.leaseId]), 0).stdout).toBe('All revocation operations queued successfully!\n');
    expect(await db.canLogIn(first)).toBe(false);
    expect(expectExit(await run(['lease', 'lookup', first.leaseId]), 2).stderr).toContain('invalid lease');

    const a = await readCreds(run);
    const b = await readCreds(run);
    const kept = await readCreds(run, 'other');
    const prefix = expectExit(await run(['lease', 'revoke', '-prefix', '-sync', 'database/creds/my-role']), 0);
    expect(prefix.stdout).toBe('Success! Revoked any leases with prefix: database/creds/my-role\n');
    expect(await db.canLogIn(a)).toBe(false);
    expect(await db.canLogIn(b)).toBe(false);
    expect(await db.canLogIn(kept)).toBe(true);
    expect(expectExit(await run(['lease', 'revoke', '-force', 'database/creds/other']), 1).stderr).toContain('Specifying -force requires also specifying -prefix');
  });

  it("revokes a lease whose user is already gone, though the role's DROP USER then fails", async () => {
    const run = await connect(createSandbox());
    await configure(run, { default: '1h', max: '24h' });
    expectExit(
      await run([
        'write',
        'database/roles/strict',
        'db_name=my-database',
        "creation_statements=CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';",
        "revocation_statements=DROP USER '{{name}}'@'%';",
      ]),
      0,
    );
    const creds = await readCreds(run, 'strict');
    // Dropped by hand (or never created: a crash between recording the lease and the creation).
    await db.server.query("DROP USER ?@'%'", [creds.username]);
    expectExit(await run(['lease', 'revoke', '-sync', creds.leaseId]), 0);
    expect(expectExit(await run(['lease', 'lookup', creds.leaseId]), 2).stderr).toContain('invalid lease');
  });

  it('renews up to max_ttl, then refuses', async () => {
    const run = await connect(createSandbox());
    await configure(run, { default: '2s', max: '4s' });
    const creds = await readCreds(run);
    expect(creds.duration).toBe('2s');
    const renewed = expectExit(await run(['lease', 'renew', '-increment=1h', creds.leaseId]), 0);
    expect(renewed.stdout).toMatch(new RegExp(`^lease_id +${creds.leaseId}$`, 'm'));
    expect(renewed.stdout).toMatch(/^lease_duration +[1-4]s$/m);
    expect(renewed.stderr).toContain('exceeded the effective max_ttl');
    expect(await db.canLogIn(creds)).toBe(true);
    // Past the max TTL the lease cannot be renewed, and the user is dropped.
    const refused = await waitFor('the lease to reach its max TTL', async () => {
      const result = await run(['lease', 'renew', creds.leaseId]);
      return result.exitCode !== 0 ? result : undefined;
    });
    expect(refused.stderr).toMatch(/past the max TTL, cannot renew|lease expired|lease not found/);
    await waitFor('the expired user to be dropped', async () => {
      await run(['secrets', 'list']);
      return !(await db.canLogIn(creds));
    });
  });

  it('revokes an expired lease: the user cannot log in any more', async () => {
    const sandbox = createSandbox();
    const run = await connect(sandbox);
    await configure(run, { default: '1s', max: '1h' });
    const creds = await readCreds(run);
    // Locally the next command that opens the store revokes it; the server does on its own.
    const local = _where === 'the local store';
    await waitFor('the expired user to be dropped', async () => {
      if (local) await run(['secrets', 'list']);
      return !(await db.canLogIn(creds));
    });
    expect(await db.userExists(creds.username)).toBe(false);
  });
});
