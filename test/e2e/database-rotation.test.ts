import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMariadbServer, type MariadbServer } from '../helpers/mariadb-server.js';
import { startPostgresServer, type DbCredentials, type PostgresServer } from '../helpers/postgres-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { isJsonObject } from '../../src/json.js';
import { openFileStore } from '../../src/store/file-store.js';
import { createSandbox, expectExit, expectNoSecrets, type CliSandbox } from './run-cli.js';

// rotate-root and static roles on real PostgreSQL and MariaDB: after a rotation the old password
// is refused and the new one works, the root password is known only to the engine (it still
// creates users), and static roles rotate on schedule (locally on the next command, by the
// server on its own).

// What a test needs of either database.
interface Database {
  name: string;
  plugin: string;
  url: () => string;
  admin: (name: string) => Promise<DbCredentials>;
  createUser: (name: string, password: string) => Promise<void>;
  setPassword: (name: string, password: string) => Promise<void>;
  canLogIn: (credentials: DbCredentials) => Promise<boolean>;
  creation: string;
  cleanUp: () => Promise<void>;
  stop: () => Promise<void>;
}

let pg: PostgresServer;
let maria: MariadbServer;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  [pg, maria] = await Promise.all([startPostgresServer(), startMariadbServer()]);
}, 120_000);

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  await pg.dropTestRoles();
  await maria.dropTestUsers();
});

afterAll(async () => {
  await Promise.all([pg?.stop(), maria?.stop()]);
});

const databases: Database[] = [
  {
    name: 'PostgreSQL',
    plugin: 'postgresql-database-plugin',
    url: () => `postgresql://{{username}}:{{password}}@127.0.0.1:${pg.port}/postgres?sslmode=disable`,
    admin: (name) => pg.createAdmin(name),
    createUser: async (name, password) => void (await pg.query(`CREATE ROLE ${name} WITH LOGIN PASSWORD '${password}'`)),
    setPassword: async (name, password) => void (await pg.query(`ALTER ROLE ${name} WITH PASSWORD '${password}'`)),
    canLogIn: (credentials) => pg.canLogIn(credentials),
    creation: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
    cleanUp: () => pg.dropTestRoles(),
    stop: () => pg.stop(),
  },
  {
    name: 'MariaDB',
    plugin: 'mysql-database-plugin',
    url: () => `{{username}}:{{password}}@tcp(127.0.0.1:${maria.port})/`,
    admin: (name) => maria.createAdmin(name),
    createUser: async (name, password) => void (await maria.query("CREATE USER ?@'%' IDENTIFIED BY ?", [name, password])),
    setPassword: async (name, password) => void (await maria.query("ALTER USER ?@'%' IDENTIFIED BY ?", [name, password])),
    canLogIn: (credentials) => maria.canLogIn(credentials),
    creation: "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';",
    cleanUp: () => maria.dropTestUsers(),
    stop: () => maria.stop(),
  },
];

type Run = (args: readonly string[]) => ReturnType<CliSandbox['run']>;

const row = (stdout: string, key: string): string => new RegExp(`^${key} +(\\S+)$`, 'm').exec(stdout)?.[1] ?? '';

async function configure(run: Run, database: Database, admin: DbCredentials): Promise<void> {
  expectExit(await run(['secrets', 'enable', 'database']), 0);
  expectExit(
    await run(['write', 'database/config/db', `plugin_name=${database.plugin}`, `connection_url=${database.url()}`, `username=${admin.username}`, `password=${admin.password}`, 'allowed_roles=*']),
    0,
  );
}

describe.each(databases)('rotation on $name', (database) => {
  it('rotate-root: the old root password is refused, the engine alone knows the new one', async () => {
    const sandbox = createSandbox();
    const run: Run = (args) => sandbox.run(args);
    const admin = await database.admin('rotated_admin');
    await configure(run, database, admin);
    const rotated = expectExit(await run(['write', '-f', 'database/rotate-root/db']), 0);
    expect(rotated.stdout).toBe('Success! Data written to: database/rotate-root/db\n');
    expect(await database.canLogIn(admin)).toBe(false);
    const config = expectExit(await run(['read', '-format=json', 'database/config/db']), 0).stdout;
    expect(JSON.parse(config).data.connection_details.password).toBeUndefined();
    // The engine still connects: it creates users with the password nobody else knows.
    expectExit(await run(['write', 'database/roles/r', 'db_name=db', `creation_statements=${database.creation}`, 'default_ttl=1h']), 0);
    const creds = expectExit(await run(['read', 'database/creds/r']), 0).stdout;
    expect(await database.canLogIn({ username: row(creds, 'username'), password: row(creds, 'password') })).toBe(true);
    // A connection with a literal password in its URL cannot be rotated.
    expectExit(await run(['write', 'database/config/literal', `plugin_name=${database.plugin}`, `connection_url=${database.url().replace('{{password}}', 'x')}`, 'verify_connection=false']), 0);
    expect(expectExit(await run(['write', '-f', 'database/rotate-root/literal']), 2).stderr).toContain('unable to rotate root credentials');
  });

  it('rotate-root interrupted after the database changed the password: the engine finds the pending one', async () => {
    const sandbox = createSandbox();
    const run: Run = (args) => sandbox.run(args);
    const admin = await database.admin('interrupted_admin');
    await configure(run, database, admin);
    expectExit(await run(['write', 'database/roles/r', 'db_name=db', `creation_statements=${database.creation}`, 'default_ttl=1h']), 0);
    // What a rotation leaves when storing the new password failed: the database has it, the
    // store has it only as pending.
    const pending = 'Pending-pass-123456';
    const store = await openFileStore({ path: sandbox.storePath, env: sandbox.env });
    await store.update((storage) => {
      const key = storage.list('database/').find((k) => k.endsWith('/config/db')) ?? '';
      const entry = storage.get(key);
      if (isJsonObject(entry)) storage.put(key, { ...entry, pending_root_password: pending });
    });
    await store.close();
    await database.setPassword(admin.username, pending);
    const creds = expectExit(await run(['read', 'database/creds/r']), 0).stdout;
    expect(await database.canLogIn({ username: row(creds, 'username'), password: row(creds, 'password') })).toBe(true);
    const config = JSON.parse(expectExit(await run(['read', '-format=json', 'database/config/db']), 0).stdout).data;
    expect(config.connection_details.password).toBeUndefined();
    expectNoSecrets(JSON.stringify(config), [pending], 'the connection read');
    // The pending password became the connection's.
    const after = await openFileStore({ path: sandbox.storePath, env: sandbox.env });
    const stored = await after.read((storage) => storage.get(storage.list('database/').find((k) => k.endsWith('/config/db')) ?? ''));
    await after.close();
    expect(isJsonObject(stored) ? stored['pending_root_password'] : 'no entry').toBeUndefined();
    expect(isJsonObject(stored) && isJsonObject(stored['connection_details']) && stored['connection_details']['password'] === pending).toBe(true);
  });

  it('static roles: created with a rotation, rotated on demand and on schedule', async () => {
    const sandbox = createSandbox();
    const run: Run = (args) => sandbox.run(args);
    const admin = await database.admin('static_admin');
    await configure(run, database, admin);
    const initial = { username: 'app_static', password: 'Initial-pass-123' };
    await database.createUser(initial.username, initial.password);
    expectExit(await run(['write', 'database/static-roles/app', 'db_name=db', 'username=app_static', 'rotation_period=1h']), 0);
    // Taking the account over rotates its password at once.
    expect(await database.canLogIn(initial)).toBe(false);
    const first = expectExit(await run(['read', 'database/static-creds/app']), 0).stdout;
    expect(row(first, 'username')).toBe('app_static');
    expect(row(first, 'rotation_period')).toBe('1h');
    const firstCreds = { username: 'app_static', password: row(first, 'password') };
    expect(await database.canLogIn(firstCreds)).toBe(true);

    expectExit(await run(['write', '-f', 'database/rotate-role/app']), 0);
    const second = { username: 'app_static', password: row(expectExit(await run(['read', 'database/static-creds/app']), 0).stdout, 'password') };
    expect(second.password).not.toBe(firstCreds.password);
    expect(await database.canLogIn(firstCreds)).toBe(false);
    expect(await database.canLogIn(second)).toBe(true);

    const role = expectExit(await run(['read', 'database/static-roles/app']), 0).stdout;
    expect(row(role, 'username')).toBe('app_static');
    expectNoSecrets(role, [second.password], 'static role read');

    // A rotation interrupted after the database took its password: the next read rotates again
    // rather than hand out a password that no longer works.
    const store = await openFileStore({ path: sandbox.storePath, env: sandbox.env });
    await store.update((storage) => {
      const key = storage.list('sys/lease/static-account/').find((k) => k.endsWith('/app')) ?? '';
      const account = storage.get(key);
      if (isJsonObject(account)) storage.put(key, { ...account, pending_password: 'Interrupted-pass-1' });
    });
    await store.close();
    await database.setPassword('app_static', 'Interrupted-pass-1');
    const recovered = { username: 'app_static', password: row(expectExit(await run(['read', 'database/static-creds/app']), 0).stdout, 'password') };
    expect(await database.canLogIn(recovered)).toBe(true);
  });

  it.each([['the local store'], ['secretrun server']])('static roles rotate on schedule (%s)', async (where) => {
    const sandbox = createSandbox();
    let run: Run = (args) => sandbox.run(args);
    if (where === 'secretrun server') {
      const server = await startServerProcess(['-store', sandbox.storePath], sandbox.env, sandbox.dir);
      servers.push(server);
      run = (args) => sandbox.run(args, { env: { VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken ?? '' } });
    }
    const admin = await database.admin(where === 'secretrun server' ? 'schedule_admin_s' : 'schedule_admin_l');
    await configure(run, database, admin);
    await database.createUser('app_sched', 'Initial-pass-123');
    expectExit(await run(['write', 'database/static-roles/sched', 'db_name=db', 'username=app_sched', 'rotation_period=5s']), 0);
    const first = { username: 'app_sched', password: row(expectExit(await run(['read', 'database/static-creds/sched']), 0).stdout, 'password') };
    // Locally a command after the period rotates it; the server does by itself.
    await waitFor(
      'the scheduled rotation',
      async () => {
        if (where === 'the local store') await run(['secrets', 'list']);
        return !(await database.canLogIn(first));
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    const next = { username: 'app_sched', password: row(expectExit(await run(['read', 'database/static-creds/sched']), 0).stdout, 'password') };
    expect(next.password).not.toBe(first.password);
    expect(await database.canLogIn(next)).toBe(true);
  });
});
