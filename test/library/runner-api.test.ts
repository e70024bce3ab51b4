import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkManifest, createApiHandler, createLocalSource, openSecretStore, readManifest, resolveManifest, runSupervised, type SecretSource } from '../../src/index.js';
import { useDatabaseFixture } from '../helpers/database-fixture.js';
import type { DbCredentials } from '../helpers/postgres-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// The library's runner (src/index.ts: runSupervised, resolveManifest, checkManifest) with a
// local source and references to a database mount, against a real MariaDB: the credentials
// are read through the same in-process engine and leases as the CLI's runner reads them.

const closing: SecretSource[] = [];
const db = useDatabaseFixture('mariadb', {
  beforeDrop: async () => {
    for (const source of closing.splice(0)) await source.close();
  },
});

// A store with a KV secret and a database mount (configured through the library's own API
// handler over the same file), a manifest referencing both, and the login command.
async function setUp() {
  const dir = makeTempDir();
  const path = join(dir, 'store.json');
  const env = { SECRETRUN_KEY: randomBytes(32).toString('base64'), PATH: process.env['PATH'] ?? '', DB_PORT: String(db.port) };
  const store = await openSecretStore({ path, env });
  await store.writeAll([['secret/app', { greeting: 'hello' }]]);
  await store.close();
  const source = await createLocalSource({ path, env });
  closing.push(source);
  const handler = createApiHandler({ store: source.store });
  const write = async (at: string, body: Record<string, string>): Promise<void> => {
    const response = await handler({ method: 'POST', path: `/v1/${at}`, query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)), remoteAddress: '', remotePort: 0 });
    expect(response.status, `${at}: ${String(response.body)}`).toBeLessThan(300);
  };
  await write('sys/mounts/database', { type: 'database' });
  await write('database/config/my-database', { plugin_name: db.pluginName, connection_url: db.connectionUrl, username: db.admin.username, password: db.admin.password, allowed_roles: '*' });
  await write('database/roles/my-role', { db_name: 'my-database', creation_statements: db.creationStatements, default_ttl: '1h', max_ttl: '2h' });
  writeFileSync(join(dir, 'secretrun.yaml'), 'env:\n  DB_USER: { ref: database/creds/my-role#username, mask: false }\n  DB_PASS: database/creds/my-role#password\n  GREETING: secret/app#greeting\n');
  writeFileSync(join(dir, 'login.mjs'), db.loginScript(false));
  return { dir, env, source, manifest: await readManifest('secretrun.yaml', dir) };
}

const collect = (): { stream: PassThrough; text: () => string } => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
};

describe('the library with dynamic database credentials', () => {
  it('runSupervised runs the command with credentials read through the in-process engine; closing the source revokes them', async () => {
    const { dir, env, source, manifest } = await setUp();
    const stdout = collect();
    const stderr = collect();
    const code = await runSupervised({ manifest, source, command: process.execPath, args: ['login.mjs'], io: { stdout: stdout.stream, stderr: stderr.stream, env, cwd: dir } });
    expect(stderr.text()).toBe('');
    expect(code).toBe(0);
    const user = /^login ok (v-\S+) one$/m.exec(stdout.text())?.[1] ?? '';
    const creds = JSON.parse(readFileSync(join(dir, `creds-${user}.json`), 'utf8')) as DbCredentials;
    expect(stdout.text()).not.toContain(creds.password);
    expect(await db.canLogIn(creds)).toBe(true);
    await source.close();
    expect(await db.canLogIn(creds)).toBe(false);
    expect(await db.userExists(user)).toBe(false);
  });

  it('resolveManifest reads them once per path; checkManifest reads none unless asked', async () => {
    const { env, source, manifest } = await setUp();
    const before = await db.countDynamicUsers();
    const report = await checkManifest(manifest, source, { env });
    expect(report.ok).toBe(true);
    expect(report.variables.filter((variable) => variable.notRead === true).map((variable) => variable.name).sort()).toEqual(['DB_PASS', 'DB_USER']);
    expect(await db.countDynamicUsers()).toBe(before);
    expect((await checkManifest(manifest, source, { env, dynamic: true })).variables.some((variable) => variable.notRead === true)).toBe(false);

    const resolved = await resolveManifest(manifest, source, { env });
    expect(resolved.env['GREETING']).toBe('hello');
    // The check's lease and this one are the same: one read, one lease, one user per path.
    expect(await db.countDynamicUsers()).toBe(before + 1);
    expect(await db.canLogIn({ username: resolved.env['DB_USER'] ?? '', password: resolved.env['DB_PASS'] ?? '' })).toBe(true);
  });
});
