// Tokens through the built CLI against a real `secretrun server` on port 0: creation, login
// into ~/.vault-token, expiry, revocation of a tree, use limits (also under concurrency), and
// that no token ever shows in the server's output or the CLI's errors.
import { spawn } from 'node:child_process';
import { statSync, readFileSync, existsSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../http/server-process.js';
import { waitFor } from '../helpers/wait-for.js';
import { cliEntry, createSandbox, expectExit, expectNoSecrets, type CliSandbox } from './run-cli.js';

let server: ServerProcess;
const seen: string[] = [];

// A sandbox for the current test (sandboxes are removed after each test).
let current: CliSandbox | undefined;
afterEach(() => {
  current = undefined;
});
const admin = (): CliSandbox => (current ??= createSandbox());

// The admin's CLI: VAULT_ADDR and the root token.
const asRoot = (args: readonly string[], input?: string) =>
  admin().run(args, { env: { VAULT_ADDR: server.url, VAULT_TOKEN: 'e2e-root' }, ...(input === undefined ? {} : { input }) });

// Creates a token through the CLI (as root) and remembers it for the leak checks.
async function createToken(...flags: string[]): Promise<{ token: string; accessor: string }> {
  const result = expectExit(await asRoot(['token', 'create', '-format=json', ...flags]), 0);
  const auth = (JSON.parse(result.stdout) as { auth: { client_token: string; accessor: string } }).auth;
  seen.push(auth.client_token);
  return { token: auth.client_token, accessor: auth.accessor };
}

// Whether a token still works, asked over HTTP.
async function works(token: string): Promise<boolean> {
  const response = await fetch(`${server.url}/v1/auth/token/lookup-self`, { headers: { 'X-Vault-Token': token } });
  return response.status === 200;
}

beforeAll(async () => {
  server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0', '-dev-root-token-id=e2e-root'], admin().env);
  expectExit(await asRoot(['kv', 'put', 'secret/app', 'password=hunter2-e2e']), 0);
});

afterAll(async () => {
  await server?.stop();
});

describe('secretrun login against a server', () => {
  it('stores the token in ~/.vault-token (0600, the token alone) and later commands use it', async () => {
    const user = createSandbox();
    const { token } = await createToken('-policy=root', '-ttl=1h');
    const login = expectExit(await user.run(['login', '-'], { env: { VAULT_ADDR: server.url }, input: `${token}\n` }), 0);
    const [success, table] = login.stdout.split('\n\n');
    expect(success?.replace(/\n/g, ' ')).toBe(
      'Success! You are now authenticated. The token information displayed below is already stored in the token helper. You do NOT need to run "secretrun login" again. Future requests will automatically use this token.',
    );
    expect(table).toMatch(/^Key {18}Value\n-{3} {18}-{5}\ntoken {16}hvs\./);
    expect(login.stdout).toMatch(/token_duration {7}(1h|59m5\ds)\n/);
    expect(login.stdout).toContain('policies             ["root"]');
    const file = join(user.dir, '.vault-token');
    expect(readFileSync(file, 'utf8')).toBe(token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const read = expectExit(await user.run(['kv', 'get', '-field=password', 'secret/app'], { env: { VAULT_ADDR: server.url } }), 0);
    expect(read.stdout).toBe('hunter2-e2e');
  });

  it('replaces a wider-mode token file whole, and honours -no-store, -token-only and -format=json', async () => {
    const user = createSandbox();
    const { token } = await createToken('-policy=root');
    const env = { VAULT_ADDR: server.url };
    const file = join(user.dir, '.vault-token');
    expectExit(await user.run(['login', '-no-print', '-'], { env, input: token }), 0);
    chmodSync(file, 0o644);
    expectExit(await user.run(['login', '-no-print', '-'], { env, input: token }), 0);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const other = createSandbox();
    const noStore = expectExit(await other.run(['login', '-no-store', '-'], { env, input: token }), 0);
    expect(noStore.stderr).toContain('The token was not stored in token helper.');
    expect(existsSync(join(other.dir, '.vault-token'))).toBe(false);
    expect(expectExit(await other.run(['login', '-token-only', '-'], { env, input: token }), 0).stdout).toBe(token);
    const json = JSON.parse(expectExit(await other.run(['login', '-no-store', '-format=json', '-'], { env, input: token }), 0).stdout) as { auth: Record<string, unknown> };
    expect(Object.keys(json.auth)).toEqual(['client_token', 'accessor', 'policies', 'token_policies', 'identity_policies', 'metadata', 'orphan', 'entity_id', 'lease_duration', 'renewable', 'mfa_requirement']);
    expect(json.auth).toMatchObject({ client_token: token, policies: ['root'], lease_duration: 0 });
    expect(existsSync(join(other.dir, '.vault-token'))).toBe(false);
  });

  it('asks for the token on a terminal without echoing it', async () => {
    const user = createSandbox();
    const { token } = await createToken('-policy=root');
    const command = [process.execPath, cliEntry(), 'login'].map((word) => `'${word}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: user.dir, env: { ...user.env, VAULT_ADDR: server.url }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    await waitFor('the token prompt', () => output.includes('Token (will be hidden): '));
    child.stdin.write(`${token}\r`);
    expect(await exited).toBe(0);
    expect(output).toContain('Success! You are now authenticated.');
    // The table shows the token once (its row); the prompt never echoed it.
    expect(output.split(token).length - 1).toBe(1);
    expect(readFileSync(join(user.dir, '.vault-token'), 'utf8')).toBe(token);
  });

  it('refuses a bad token (exit 2, the token not echoed), works only against a server, and reports an unwritable helper file', async () => {
    const user = createSandbox();
    const bogus = 'hvs.NotARealTokenAtAll1234';
    const refused = expectExit(await user.run(['login', '-'], { env: { VAULT_ADDR: server.url }, input: bogus }), 2);
    expect(refused.stderr).toContain('Error authenticating: error looking up token: Error making API request.');
    expect(refused.stderr).toContain('Code: 403');
    expectNoSecrets(refused.stderr + refused.stdout, [bogus], 'login output');
    expect(existsSync(join(user.dir, '.vault-token'))).toBe(false);
    const local = expectExit(await user.run(['login', '-'], { input: bogus }), 1);
    expect(local.stderr).toBe('secretrun login needs a server: the local store is used with its key, which is root, and needs no token\nSet VAULT_ADDR or pass -address to log in to a server.\n');
    const noTerminal = expectExit(await user.run(['login'], { env: { VAULT_ADDR: server.url } }), 2);
    expect(noTerminal.stderr).toContain('pass "-" as the argument to read from stdin');

    const { token } = await createToken('-policy=root');
    const blocked = createSandbox();
    mkdirSync(join(blocked.dir, '.vault-token'));
    const unstored = expectExit(await blocked.run(['login', '-'], { env: { VAULT_ADDR: server.url }, input: token }), 2);
    expect(unstored.stderr).toContain(`Error storing token: cannot write ${join(blocked.dir, '.vault-token')}`);
    expect(unstored.stdout).toContain(token);
  });
});

describe('tokens through the CLI', () => {
  it('refuses an expired token', async () => {
    const { token } = await createToken('-policy=root', '-ttl=1s');
    await waitFor('the 1s token to expire', async () => !(await works(token)), { timeoutMs: 5_000, intervalMs: 100 });
    const after = expectExit(await admin().run(['kv', 'get', 'secret/app'], { env: { VAULT_ADDR: server.url, VAULT_TOKEN: token } }), 2);
    expect(after.stderr).toContain('permission denied');
    const lookup = expectExit(await asRoot(['token', 'lookup', '-'], token), 2);
    expect(lookup.stderr).toContain('* bad token');
  });

  it('revokes a parent with its children; the orphan survives; by accessor too', async () => {
    const parent = await createToken('-policy=root', '-ttl=1h');
    const childOf = async (flags: string[]) => {
      const made = expectExit(await admin().run(['token', 'create', '-field=token', ...flags], { env: { VAULT_ADDR: server.url, VAULT_TOKEN: parent.token } }), 0);
      seen.push(made.stdout);
      return made.stdout;
    };
    const child = await childOf(['-ttl=1h']);
    const orphan = await childOf(['-ttl=1h', '-orphan']);
    expect(expectExit(await asRoot(['token', 'revoke', '-'], parent.token), 0).stdout).toBe('Success! Revoked token (if it existed)\n');
    expect([await works(parent.token), await works(child), await works(orphan)]).toEqual([false, false, true]);

    const byAccessor = await createToken('-policy=dev');
    expectExit(await asRoot(['token', 'lookup', '-accessor', byAccessor.accessor]), 0);
    expectExit(await asRoot(['token', 'revoke', '-accessor', byAccessor.accessor]), 0);
    expect(await works(byAccessor.token)).toBe(false);
  });

  it('renews with an increment up to the explicit max TTL', async () => {
    const { token } = await createToken('-policy=dev', '-ttl=10m', '-explicit-max-ttl=1h');
    const renewed = expectExit(await asRoot(['token', 'renew', '-increment=30m', '-format=json', '-'], token), 0);
    expect((JSON.parse(renewed.stdout) as { auth: { lease_duration: number } }).auth.lease_duration).toBe(1800);
    const capped = expectExit(await asRoot(['token', 'renew', '-increment=2h', '-'], token), 0);
    expect(capped.stderr).toContain('exceeded the effective max_ttl of');
    expect(capped.stdout).toMatch(/token_duration\s+(1h|59m5\ds)\n/);
    const self = expectExit(await admin().run(['token', 'renew'], { env: { VAULT_ADDR: server.url, VAULT_TOKEN: token } }), 0);
    expect(self.stdout).toContain('token_renewable      true');
  });

  it('counts uses exactly: two reads, then refused', async () => {
    const { token } = await createToken('-policy=root', '-use-limit=2');
    const env = { VAULT_ADDR: server.url, VAULT_TOKEN: token };
    // The CLI's kv get asks the preflight too: each command is two requests.
    expectExit(await admin().run(['read', '-field=data', 'secret/data/app'], { env }), 0);
    expectExit(await admin().run(['read', '-field=data', 'secret/data/app'], { env }), 0);
    expect(expectExit(await admin().run(['read', 'secret/data/app'], { env }), 2).stderr).toContain('permission denied');
  });

  it('lets exactly one of many concurrent requests spend the last use', async () => {
    const { token } = await createToken('-policy=root', '-use-limit=1');
    const statuses = await Promise.all(
      Array.from({ length: 12 }, async () => (await fetch(`${server.url}/v1/secret/data/app`, { headers: { 'X-Vault-Token': token } })).status),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 403)).toHaveLength(11);
  });

  it('prints a token created through `write` as vault write does: token rows first, in their order', async () => {
    const written = expectExit(await asRoot(['write', 'auth/token/create', 'policies=dev', 'ttl=30m']), 0);
    const rows = written.stdout.split('\n').map((line) => line.split(/\s+/)[0]);
    expect(rows).toEqual(['Key', '---', 'token', 'token_accessor', 'token_duration', 'token_renewable', 'token_policies', 'identity_policies', 'policies', '']);
    seen.push(/token\s+(\S+)/.exec(written.stdout)?.[1] ?? '');
    expect(written.stdout).toMatch(/token_duration\s+30m\n/);
  });

  it('never shows a token in the server\'s output', async () => {
    expect(seen.length).toBeGreaterThan(5);
    expectNoSecrets(server.stdout().replace('e2e-root', '') + server.stderr(), seen, 'server output');
  });
});

describe('tokens on the local store', () => {
  it('creates, looks up and revokes tokens in-process: holding the key is root', async () => {
    const local = createSandbox();
    const created = expectExit(await local.run(['token', 'create', '-policy=dev', '-ttl=1h', '-format=json']), 0);
    const auth = (JSON.parse(created.stdout) as { auth: { client_token: string; accessor: string; orphan: boolean; policies: string[] } }).auth;
    expect(auth).toMatchObject({ orphan: true, policies: ['default', 'dev'] });
    const lookup = expectExit(await local.run(['token', 'lookup', '-'], { input: auth.client_token }), 0);
    expect(lookup.stdout).toMatch(/policies\s+\[default dev\]/);
    expectExit(await local.run(['token', 'revoke', '-accessor', auth.accessor]), 0);
    expect(expectExit(await local.run(['token', 'lookup', '-'], { input: auth.client_token }), 2).stderr).toBe('Error looking up token: bad token\n');
    const self = expectExit(await local.run(['token', 'lookup']), 1);
    expect(self.stderr).toContain('needs a TOKEN or -accessor ACCESSOR on the local store');
  });
});
