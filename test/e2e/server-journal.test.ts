// `secretrun server` writes through its journal: every acknowledged write survives SIGKILL at
// any moment, is seen by the CLI and the runner while it is still in the journal, and CLI
// writes beside the server lose nothing. Runtime state never touches the committed file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalPathOf, statePathOf } from '../../src/store/store-paths.js';
import { startServerProcess } from '../http/server-process.js';
import { waitFor } from '../helpers/wait-for.js';
import { createSandbox, expectExit, type CliSandbox } from './run-cli.js';

async function api(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}/v1/${path}`, { method, headers: { 'X-Vault-Token': token }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as any) };
}

// What one HTTP writer knows: its key, and the values and versions the server acknowledged.
interface Writer {
  key: string;
  applied: number;
  acked: Array<{ n: string; version: number }>;
  inFlight: string | undefined;
}

// Writes `${round}-${i}` to the writer's key, one write at a time, until a request fails.
async function writeUntilKilled(url: string, token: string, writer: Writer, round: number, acks: { total: number }): Promise<void> {
  for (let i = 0; ; i++) {
    const n = `${round}-${i}`;
    writer.inFlight = n;
    let response;
    try {
      response = await api(url, token, 'PUT', `secret/data/${writer.key}`, { data: { n } });
    } catch {
      return;
    }
    if (response.status !== 200) throw new Error(`PUT ${writer.key} answered ${response.status}`);
    writer.acked.push({ n, version: response.json.data.version as number });
    writer.inFlight = undefined;
    acks.total++;
  }
}

// The latest value of each writer's key, read through the runner from the store on disk.
async function readThroughRunner(sandbox: CliSandbox, writers: readonly Writer[]): Promise<Map<string, string | undefined>> {
  const manifest = `mask: false\nenv:\n${writers.map((w, i) => `  W${i}: { ref: secret/${w.key}#n, optional: true }\n`).join('')}`;
  writeFileSync(join(sandbox.dir, 'secretrun.yaml'), manifest);
  const result = expectExit(await sandbox.run(['run', '--once', '--', 'env']), 0);
  const env = new Map(result.stdout.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const));
  return new Map(writers.map((w, i) => [w.key, env.get(`W${i}`)]));
}

describe('secretrun server durability', () => {
  it('keeps every acknowledged write, applied once, when killed with SIGKILL at random moments under 16 writers (50 rounds)', { timeout: 600_000 }, async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/seed', 'n=0']), 0);
    const writers: Writer[] = Array.from({ length: 16 }, (_, i) => ({ key: `crash/w${i}`, applied: 0, acked: [], inFlight: undefined }));
    let token: string | undefined;
    let checkpointsSeen = 0;
    for (let round = 0; round < 50; round++) {
      const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
      token ??= server.rootToken;
      const committed = readFileSync(sandbox.storePath);
      const acks = { total: 0 };
      const before = writers.map((w) => w.acked.length);
      const running = writers.map((w) => writeUntilKilled(server.url, token as string, w, round, acks));
      // Anywhere from the first write to well past a checkpoint (1 MiB of journal is ~1,300 writes).
      const target = 1 + Math.floor(Math.random() * 2_500);
      await waitFor(`round ${round}: ${target} acknowledged writes`, () => acks.total >= target, { timeoutMs: 60_000, intervalMs: 1 });
      // The store file changes only when a checkpoint folds the journal in.
      if (!readFileSync(sandbox.storePath).equals(committed)) checkpointsSeen++;
      await server.stop('SIGKILL');
      await Promise.all(running);
      // Versions the server answered were contiguous: nothing was applied twice.
      writers.forEach((w, i) => {
        const mine = w.acked.slice(before[i]);
        expect(mine.map((a) => a.version), w.key).toEqual(mine.map((_, j) => w.applied + j + 1));
      });
      const latest = await readThroughRunner(sandbox, writers);
      writers.forEach((w, i) => {
        const acked = w.acked.slice(before[i] as number);
        const lastAcked = acked.at(-1)?.n ?? w.acked.at(-1)?.n;
        const seen = latest.get(w.key);
        // The last acknowledged write is there, or the one in flight when the server died.
        expect([lastAcked, w.inFlight].includes(seen), `${w.key} round ${round}: saw ${seen}, last acknowledged ${lastAcked}`).toBe(true);
        w.applied += acked.length + (seen !== undefined && seen === w.inFlight ? 1 : 0);
        if (seen === w.inFlight && seen !== undefined) w.acked.push({ n: seen, version: w.applied });
        w.inFlight = undefined;
      });
    }
    // Every version of every key is the write that made it, read through the CLI.
    for (const w of writers) {
      const meta = JSON.parse(expectExit(await sandbox.run(['kv', 'metadata', 'get', '-format=json', `secret/${w.key}`]), 0).stdout);
      expect(meta.data.current_version, w.key).toBe(w.applied);
      const last = w.acked.at(-1) as { n: string; version: number };
      const read = JSON.parse(expectExit(await sandbox.run(['kv', 'get', '-format=json', `-version=${last.version}`, `secret/${w.key}`]), 0).stdout);
      expect(read.data.data.n).toBe(last.n);
    }
    // Some rounds were killed after a checkpoint had run (otherwise the test proved less than it says).
    expect(checkpointsSeen).toBeGreaterThan(0);
  });

  it('loses nothing when 16 HTTP writers and CLI writes go at once, and the CLI reads what the server acknowledged', { timeout: 120_000 }, async () => {
    const sandbox = createSandbox();
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const token = server.rootToken as string;
    let stop = false;
    const acked = new Map<string, number>();
    const httpWriters = Array.from({ length: 16 }, async (_, c) => {
      for (let i = 0; !stop; i++) {
        const key = c % 4 === 0 ? 'shared' : `http-${c}`;
        const response = await api(server.url, token, 'PUT', `secret/data/${key}`, { data: { n: `${c}-${i}` } });
        expect(response.status).toBe(200);
        if (key !== 'shared') acked.set(key, i);
      }
    });
    const cliWrites: string[] = [];
    await waitFor('the first acknowledged HTTP write', () => acked.size > 0);
    for (let i = 0; i < 6; i++) {
      const key = i % 2 === 0 ? 'shared' : `cli-${i}`;
      expectExit(await sandbox.run(['kv', 'put', `secret/${key}`, `n=cli-${i}`], { env: { SECRETRUN_LOCK_TIMEOUT: '30s' } }), 0);
      cliWrites.push(key);
      // The CLI sees every write the server acknowledged before it started.
      const snapshot = new Map(acked);
      const [key0, i0] = [...snapshot].at(-1) as [string, number];
      const read = JSON.parse(expectExit(await sandbox.run(['kv', 'get', '-format=json', `secret/${key0}`]), 0).stdout);
      expect(Number((read.data.data.n as string).split('-')[1])).toBeGreaterThanOrEqual(i0);
    }
    stop = true;
    await Promise.all(httpWriters);
    const shared = (await api(server.url, token, 'GET', 'secret/metadata/shared')).json.data;
    expect(await server.stop()).toBe(0);
    // After the server stopped (and checkpointed), the CLI reads every last acknowledged value.
    for (const [key, i] of acked) {
      const read = JSON.parse(expectExit(await sandbox.run(['kv', 'get', '-format=json', `secret/${key}`]), 0).stdout);
      expect(read.data.data.n, key).toBe(`${key.split('-')[1]}-${i}`);
    }
    for (const key of cliWrites.filter((k) => k !== 'shared')) expectExit(await sandbox.run(['kv', 'get', `secret/${key}`]), 0);
    const meta = JSON.parse(expectExit(await sandbox.run(['kv', 'metadata', 'get', '-format=json', 'secret/shared']), 0).stdout);
    expect(meta.data.current_version).toBe(shared.current_version);
    expect(existsSync(journalPathOf(sandbox.storePath))).toBe(false);
  });

  it('shows the CLI and the runner a write still in the journal, without waiting for the server', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/seed', 'n=0']), 0);
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const token = server.rootToken as string;
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'mask: false\nenv:\n  FRESH: secret/fresh#v\n');
    let fromJournal = false;
    for (let attempt = 0; attempt < 5 && !fromJournal; attempt++) {
      expect((await api(server.url, token, 'PUT', 'secret/data/fresh', { data: { v: `value-${attempt}` } })).status).toBe(200);
      const get = expectExit(await sandbox.run(['kv', 'get', '-field=v', 'secret/fresh']), 0);
      const run = expectExit(await sandbox.run(['run', '--once', '--', 'sh', '-c', 'echo "$FRESH"']), 0);
      expect([get.stdout.trim(), run.stdout.trim()]).toEqual([`value-${attempt}`, `value-${attempt}`]);
      // Read from the journal when the store file still lacks the secret (no checkpoint ran meanwhile).
      fromJournal = !readFileSync(sandbox.storePath, 'utf8').includes('/fresh');
    }
    expect(fromJournal).toBe(true);
    expect(await server.stop()).toBe(0);
    expect(readFileSync(sandbox.storePath, 'utf8')).toContain('/fresh');
  });

  it('refuses a journal of another store, an older one and an edited one: exit 4, one line naming it, nothing changed or lost', { timeout: 120_000 }, async () => {
    const sandbox = createSandbox();
    const journal = journalPathOf(sandbox.storePath);
    expectExit(await sandbox.run(['kv', 'put', 'secret/seed', 'n=0']), 0);
    // Leaves the server's writes to `key` and `key`-b in the journal, one record each: killed
    // before any checkpoint (2 s).
    const writeAndKill = async (key: string, value: string): Promise<Buffer> => {
      const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
      const token = readFileSync(join(sandbox.dir, 'root-token'), 'utf8').trim();
      for (const name of [key, `${key}-b`]) expect((await api(server.url, token, 'PUT', `secret/data/${name}`, { data: { v: value } })).status).toBe(200);
      await server.stop('SIGKILL');
      return readFileSync(journal);
    };
    // The first start prints the root token once; keep it for the later ones.
    const first = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    writeFileSync(join(sandbox.dir, 'root-token'), first.rootToken as string);
    expect(await first.stop()).toBe(0);
    const older = await writeAndKill('one', 'PLAINTEXT-one');
    // A CLI write folds it into the store file; the next server journals on that file.
    expectExit(await sandbox.run(['kv', 'put', 'secret/cli', 'v=1']), 0);
    expect(existsSync(journal)).toBe(false);
    const current = await writeAndKill('two', 'PLAINTEXT-two');
    const other = createSandbox();
    expectExit(await other.run(['kv', 'put', 'secret/seed', 'n=0']), 0);
    const otherServer = await startServerProcess(['-listen-address=127.0.0.1:0'], other.env, other.dir);
    expect((await api(otherServer.url, otherServer.rootToken as string, 'PUT', 'secret/data/x', { data: { v: 'x' } })).status).toBe(200);
    await otherServer.stop('SIGKILL');
    const lines = current.toString('utf8').split('\n');
    const edited = [lines[0], (lines[1] as string).replace('"seq":1', '"seq":1 '), ...lines.slice(2)].join('\n');
    const bad = { 'another store': readFileSync(journalPathOf(other.storePath)), older, 'edited before its last line': Buffer.from(edited) };
    const files = [sandbox.storePath, statePathOf(sandbox.storePath), journal];
    for (const [what, bytes] of Object.entries(bad)) {
      writeFileSync(journal, bytes);
      const before = files.map((file) => readFileSync(file));
      for (const argv of [['kv', 'get', 'secret/two'], ['kv', 'put', 'secret/three', 'v=3'], ['kv', 'list', 'secret/']]) {
        const result = expectExit(await sandbox.run(argv), 4);
        const errorLines = result.stderr.split('\n').filter((line) => line !== '');
        expect(errorLines, `${what}: ${argv.join(' ')}`).toHaveLength(1);
        expect(errorLines[0]).toContain(journal);
        // A journal is never committed: the way out is a backup or dropping its writes, not git.
        expect(errorLines[0]).toContain('delete it to drop the writes it holds');
        expect(errorLines[0]).not.toContain('restore it from version control');
        expect(result.stderr).not.toMatch(/\n\s+at |PLAINTEXT/);
      }
      const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir).catch((error: Error) => error);
      expect(server, what).toBeInstanceOf(Error);
      expect((server as Error).message).toContain(journal);
      expect(files.map((file) => readFileSync(file)), what).toEqual(before);
    }
    // Nothing was lost: with its own journal back, the store holds every acknowledged write.
    writeFileSync(journal, current);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=v', 'secret/two']), 0).stdout).toBe('PLAINTEXT-two');
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=v', 'secret/one']), 0).stdout).toBe('PLAINTEXT-one');
  });

  it('keeps userpass and AppRole logins and renewals in the state file: the committed file stays byte for byte, the CLI sees them', { timeout: 120_000 }, async () => {
    const sandbox = createSandbox();
    const password = 'PLAINTEXT-ivy-pw';
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'password=PLAINTEXT-app']), 0);
    expectExit(await sandbox.run(['auth', 'enable', 'userpass']), 0);
    expectExit(await sandbox.run(['auth', 'enable', 'approle']), 0);
    expectExit(await sandbox.run(['write', 'auth/userpass/users/ivy', 'password=-', 'policies=default'], { input: password }), 0);
    expectExit(await sandbox.run(['write', 'auth/approle/role/ci', 'token_policies=default', 'secret_id_num_uses=5']), 0);
    const roleId = expectExit(await sandbox.run(['read', '-field=role_id', 'auth/approle/role/ci/role-id']), 0).stdout;
    const secretId = expectExit(await sandbox.run(['write', '-f', '-field=secret_id', 'auth/approle/role/ci/secret-id']), 0).stdout;
    const committed = readFileSync(sandbox.storePath);
    const stateBefore = readFileSync(statePathOf(sandbox.storePath));
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const remote = { env: { VAULT_ADDR: server.url } };
    const userToken = expectExit(await sandbox.run(['login', '-method=userpass', '-no-store', '-token-only', 'username=ivy', 'password=-'], { ...remote, input: password }), 0).stdout;
    const appToken = expectExit(await sandbox.run(['login', '-method=approle', '-no-store', '-token-only', `role_id=${roleId}`, 'secret_id=-'], { ...remote, input: secretId }), 0).stdout;
    const accessors: string[] = [];
    for (const token of [userToken, appToken]) {
      const asToken = { env: { VAULT_ADDR: server.url, VAULT_TOKEN: token } };
      expectExit(await sandbox.run(['token', 'renew', '-increment=2h'], asToken), 0);
      accessors.push(expectExit(await sandbox.run(['token', 'lookup', '-field=accessor'], asToken), 0).stdout);
    }
    // What the CLI reads from the store on disk (the journal while the server runs, the state file after).
    const readLocally = async () => {
      const lookups = [];
      for (const accessor of accessors) lookups.push(JSON.parse(expectExit(await sandbox.run(['token', 'lookup', '-format=json', '-accessor', accessor]), 0).stdout).data);
      const secretIdLookup = JSON.parse(expectExit(await sandbox.run(['write', '-format=json', 'auth/approle/role/ci/secret-id/lookup', 'secret_id=-'], { input: secretId }), 0).stdout).data;
      return { lookups, uses: secretIdLookup.secret_id_num_uses as number };
    };
    const whileRunning = await readLocally();
    expect(whileRunning.lookups.map((l) => [l.path, l.ttl > 3600, l.last_renewal !== null])).toEqual([
      ['auth/userpass/login/ivy', true, true],
      ['auth/approle/login', true, true],
    ]);
    expect(whileRunning.uses).toBe(4);
    expect(readFileSync(sandbox.storePath)).toEqual(committed);
    expect(await server.stop()).toBe(0);
    expect(readFileSync(sandbox.storePath)).toEqual(committed);
    expect(existsSync(journalPathOf(sandbox.storePath))).toBe(false);
    expect(readFileSync(statePathOf(sandbox.storePath)).equals(stateBefore)).toBe(false);
    const afterStop = await readLocally();
    expect(afterStop.uses).toBe(4);
    expect(afterStop.lookups.map((l) => [l.path, l.accessor, l.expire_time])).toEqual(whileRunning.lookups.map((l) => [l.path, l.accessor, l.expire_time]));
    const stateKeys = readFileSync(statePathOf(sandbox.storePath), 'utf8').trimEnd().split('\n').slice(1).map((line) => (JSON.parse(line) as { k: string }).k);
    // The server's root token and the two logins, their accessors, and the AppRole secret-id.
    expect(stateKeys.filter((k) => k.startsWith('sys/token/id/'))).toHaveLength(3);
    expect(stateKeys.filter((k) => /^sys\/auth-state\/[^/]+\/secret-id\//.test(k))).toHaveLength(1);
    for (const file of [sandbox.storePath, statePathOf(sandbox.storePath)]) expect(readFileSync(file, 'utf8')).not.toMatch(/PLAINTEXT|hvs\./);
  });

  it('never changes the committed store file for a root token, logins, token renewals and revocations', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'password=PLAINTEXT-pw']), 0);
    const committed = readFileSync(sandbox.storePath);
    const server = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    const root = server.rootToken as string;
    const children: string[] = [];
    for (let i = 0; i < 10; i++) {
      const created = await api(server.url, root, 'POST', 'auth/token/create', { ttl: '1h', policies: ['default'] });
      expect(created.status).toBe(200);
      children.push(created.json.auth.client_token as string);
    }
    for (const child of children) {
      expect((await api(server.url, child, 'POST', 'auth/token/renew-self', { increment: '2h' })).status).toBe(200);
      expect((await api(server.url, child, 'GET', 'auth/token/lookup-self')).status).toBe(200);
    }
    expect((await api(server.url, children[0] as string, 'POST', 'auth/token/revoke-self')).status).toBe(204);
    expect(await server.stop()).toBe(0);
    expect(readFileSync(sandbox.storePath)).toEqual(committed);
    const state = readFileSync(statePathOf(sandbox.storePath), 'utf8');
    expect(state.split('\n').filter((line) => line.includes('"k":"sys/token/id/'))).toHaveLength(1 + 10 - 1);
    // The tokens outlive the server: they are in the state file.
    const again = await startServerProcess(['-listen-address=127.0.0.1:0'], sandbox.env, sandbox.dir);
    expect(again.rootToken).toBeUndefined();
    expect((await api(again.url, children[1] as string, 'GET', 'auth/token/lookup-self')).status).toBe(200);
    expect((await api(again.url, children[0] as string, 'GET', 'auth/token/lookup-self')).status).toBe(403);
    expect(await again.stop()).toBe(0);
    expect(readFileSync(sandbox.storePath)).toEqual(committed);
  });
});
