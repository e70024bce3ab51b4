import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { CliSandbox } from './run-cli.js';
import { createSandbox, expectExit, expectNoSecrets } from './run-cli.js';
import { buildKeyCheck, deriveMacKey } from '../../src/store/key-derivation.js';
import { createKeyring, unwrapKeyring } from '../../src/store/keyring.js';
import type { DataKeys } from '../../src/store/keyring.js';
import { parsePublicKey } from '../../src/store/recipients/identity.js';
import { buildRecipientEntry } from '../../src/store/recipients/recipient-entry.js';
import { parseStoreBytes, renderEntryLine, renderStoreFile } from '../../src/store/store-format.js';
import type { StoreHeader } from '../../src/store/store-format.js';
import { sealEntry } from '../../src/store/store-snapshot.js';

// What someone who can push but holds no key can write: a new store under the same id, for the
// recipients the header lists (their public keys are in it), holding values of their choosing.
function forgeStore(path: string, secrets: ReadonlyMap<string, unknown>): void {
  const real = parseStoreBytes(readFileSync(path), path).header;
  const rootKey = randomBytes(32);
  const keyring = createKeyring(rootKey, real.id, randomBytes);
  const recipients = (real.recipients ?? []).map((r) => {
    const key = parsePublicKey(r.public_key);
    if (!key.ok) throw new Error(key.problem);
    return buildRecipientEntry({ name: r.name, publicKey: key.key, addedBy: r.added_by, now: 0 }, rootKey, real.id, randomBytes)!;
  });
  const header: StoreHeader = { id: real.id, keyring, kdf: null, check: buildKeyCheck(rootKey), recipients, sharedKey: false, lineage: real.lineage ?? [] };
  const dataKeys = unwrapKeyring(keyring, rootKey, real.id) as DataKeys;
  const lines = [...secrets].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => Buffer.from(`${renderEntryLine(key, sealEntry({ header, dataKeys }, key, JSON.stringify(value)))}\n`));
  writeFileSync(path, renderStoreFile(header, lines, deriveMacKey(rootKey)));
}

// Recipient stores through the built CLI: three people's keys, a removal, and real git merges
// with the drivers `secretrun git setup` defines. Alice's key is in the sandbox's identities
// directory; bob's and carol's keys are files outside it, given as SECRETRUN_KEY_FILE or
// pasted into SECRETRUN_KEY as CI would.

interface Team {
  sandbox: CliSandbox;
  keys: Record<'bob' | 'carol' | 'dave', { file: string; publicKey: string; secret: string }>;
  as: (who: 'alice' | 'bob' | 'carol' | 'dave', args: readonly string[]) => ReturnType<CliSandbox['run']>;
  git: (...args: string[]) => Promise<{ stdout: string; stderr: string; exitCode: number }>;
}

const gitIdentity = { GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

async function createTeam(): Promise<Team> {
  const sandbox = createSandbox();
  expectExit(await sandbox.run(['kv', 'put', 'secret/app/db', 'v=base-db-1']), 0);
  expectExit(await sandbox.run(['kv', 'put', 'secret/app/api', 'v=base-api-1']), 0);
  const alicePublic = expectExit(await sandbox.run(['key', 'new']), 0).stdout.trim();
  const keys = {} as Team['keys'];
  for (const name of ['bob', 'carol', 'dave'] as const) {
    const file = join(sandbox.dir, `${name}.key`);
    const made = expectExit(await sandbox.run(['key', 'new', `-output=${file}`]), 0);
    keys[name] = { file, publicKey: made.stdout.trim(), secret: readFileSync(file, 'utf8') };
  }
  expectExit(await sandbox.run(['recipients', 'add', 'alice', alicePublic]), 0);
  expectExit(await sandbox.run(['recipients', 'add', 'bob', keys.bob.publicKey]), 0);
  expectExit(await sandbox.run(['recipients', 'add', 'carol', keys.carol.publicKey]), 0);
  expectExit(await sandbox.run(['recipients', 'remove', '-shared-key']), 0);
  // From here on nobody holds the shared root key.
  delete sandbox.env['SECRETRUN_KEY'];
  const outside = join(sandbox.dir, 'elsewhere');
  const as: Team['as'] = (who, args) => {
    if (who === 'alice') return sandbox.run(args);
    // Another person: their own config home (no identities), their key from the environment.
    const own = { XDG_CONFIG_HOME: join(outside, who) };
    return sandbox.run(args, { env: who === 'carol' ? { ...own, SECRETRUN_KEY: keys.carol.secret } : { ...own, SECRETRUN_KEY_FILE: keys[who].file } });
  };
  const git = async (...args: string[]) => {
    const result = await execa('git', args, { cwd: sandbox.dir, env: { ...sandbox.env, ...gitIdentity }, extendEnv: false, reject: false });
    return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
  };
  return { sandbox, keys, as, git };
}

const get = async (team: Team, who: 'alice' | 'bob' | 'carol' | 'dave', path: string) => expectExit(await team.as(who, ['kv', 'get', '-field=v', path]), 0).stdout;

describe('a recipient store', () => {
  it('opens for three recipients; a removed one cannot open anything written after, and is told what to rotate', async () => {
    const team = await createTeam();
    for (const who of ['alice', 'bob', 'carol'] as const) expect(await get(team, who, 'secret/app/db')).toBe('base-db-1');
    const listed = expectExit(await team.as('carol', ['recipients', 'list']), 0).stdout;
    expect(listed).toMatch(/^Name {5}Fingerprint {9}Public Key {2,}Added By {6}Added At\n/);
    expect(listed).toContain(`bob      `);
    expect(listed).not.toContain('shared root key still opens');
    const removed = expectExit(await team.as('alice', ['recipients', 'remove', 'bob']), 0);
    expect(removed.stdout).toMatch(/^Removed bob \(fp [0-9a-f]{16}\); new writes use key term 3\.\n/);
    expect(removed.stdout).toContain('bob can no longer open what is written from now on. Everything the store held until now must be treated as known to bob: rotate those secrets at their source, then `secretrun kv put` the new values (2 secrets with live versions).');
    expectExit(await team.as('carol', ['kv', 'put', 'secret/app/db', 'v=after-removal']), 0);
    const refused = expectExit(await team.as('bob', ['kv', 'get', 'secret/app/db']), 3);
    expect(refused.stderr).toContain('it opens with the keys of alice');
    expectNoSecrets(refused.stdout + refused.stderr, ['after-removal', 'base-db-1'], "bob's output");
    expect(await get(team, 'alice', 'secret/app/db')).toBe('after-removal');
  });

  it('round-trips through a git merge of two branches that added, changed and deleted different secrets and recipients', async () => {
    const team = await createTeam();
    const { sandbox, git } = team;
    expect((await git('init', '-q', '-b', 'main')).exitCode).toBe(0);
    expectExit(await sandbox.run(['git', 'setup', `-command=${sandbox.binDir()}/secretrun`]), 0);
    await git('add', '-A');
    await git('commit', '-qm', 'base');
    await git('checkout', '-qb', 'theirs');
    expectExit(await team.as('carol', ['kv', 'put', 'secret/app/queue', 'v=theirs-queue-1']), 0);
    expectExit(await team.as('carol', ['kv', 'put', 'secret/app/api', 'v=theirs-api-2']), 0);
    expectExit(await team.as('carol', ['recipients', 'remove', 'bob']), 0);
    expectExit(await team.as('carol', ['kv', 'put', 'secret/app/after', 'v=theirs-after-bob']), 0);
    await git('commit', '-qam', 'theirs');
    await git('checkout', '-q', 'main');
    expectExit(await team.as('alice', ['kv', 'put', 'secret/app/cache', 'v=ours-cache-1']), 0);
    expectExit(await team.as('alice', ['kv', 'metadata', 'delete', 'secret/app/db']), 0);
    expectExit(await team.as('alice', ['recipients', 'add', 'dave', team.keys.dave.publicKey]), 0);
    await git('commit', '-qam', 'ours');
    const oursKeyring = (JSON.parse(readFileSync(sandbox.storePath, 'utf8').split('\n')[0] as string) as { keyring: { terms: Record<string, string> } }).keyring;

    const merge = await git('merge', '--no-edit', 'theirs');
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect(merge.stderr).toContain('secretrun: merged .secretrun/store.json secret by secret');
    expectNoSecrets(merge.stdout + merge.stderr, ['theirs-queue-1', 'theirs-api-2', 'theirs-after-bob', 'ours-cache-1', 'base-db-1'], "git's output");
    for (const who of ['alice', 'carol', 'dave'] as const) {
      expect(await get(team, who, 'secret/app/queue')).toBe('theirs-queue-1');
      expect(await get(team, who, 'secret/app/after')).toBe('theirs-after-bob');
      expect(await get(team, who, 'secret/app/cache')).toBe('ours-cache-1');
      expect(await get(team, who, 'secret/app/api')).toBe('theirs-api-2');
    }
    expectExit(await team.as('alice', ['kv', 'get', 'secret/app/db']), 2);
    // Bob's removal on theirs is not undone by ours, which still listed him: a new root key, and
    // what came from theirs is sealed under a data-key term ours' copy never had.
    expectExit(await team.as('bob', ['kv', 'get', 'secret/app/queue']), 3);
    const merged = readFileSync(sandbox.storePath, 'utf8').split('\n');
    const header = JSON.parse(merged[0] as string) as { keyring: { active: number }; recipients: Array<{ name: string }> };
    expect(header.recipients.map((r) => r.name)).toEqual(['alice', 'carol', 'dave']);
    expect(Object.keys(oursKeyring.terms)).not.toContain(String(header.keyring.active));
    const termOf = (line: string) => Buffer.from(line.slice(line.lastIndexOf('"v":"') + 5, -2), 'base64').readUInt32BE(1);
    const fromTheirs = merged.filter((line) => /\/data\/app\/(after|queue)@1"/.test(line));
    expect(fromTheirs).toHaveLength(2);
    for (const line of fromTheirs) expect(termOf(line)).toBe(header.keyring.active);
    expect((await git('status', '--porcelain', '--', '.secretrun')).stdout).toBe('');
  });

  it('reports a conflict by path with no value in git output, and git diff lists recipients, never a value', async () => {
    const team = await createTeam();
    const { sandbox, git } = team;
    await git('init', '-q', '-b', 'main');
    expectExit(await sandbox.run(['git', 'setup', `-command=${sandbox.binDir()}/secretrun`]), 0);
    await git('add', '-A');
    await git('commit', '-qm', 'base');
    await git('checkout', '-qb', 'theirs');
    expectExit(await team.as('carol', ['kv', 'put', 'secret/app/db', 'v=theirs-db-2']), 0);
    await git('commit', '-qam', 'theirs');
    await git('checkout', '-q', 'main');
    expectExit(await team.as('alice', ['kv', 'put', 'secret/app/db', 'v=ours-db-2']), 0);
    const diff = await git('diff', '-U30');
    expect(diff.stdout).toContain(' opens with: 3 recipients');
    expect(diff.stdout).toMatch(/ recipient bob [0-9a-f]{16} added by shared key at /);
    expectNoSecrets(diff.stdout, ['ours-db-2', 'base-db-1'], 'git diff');
    await git('commit', '-qam', 'ours');
    const merge = await git('merge', '--no-edit', 'theirs');
    expect(merge.exitCode).toBe(1);
    expect(merge.stderr).toContain('secret/app/db: both sides wrote new versions (ours 2, theirs 2, now 3)');
    expectNoSecrets(merge.stdout + merge.stderr, ['base-db-1', 'theirs-db-2', 'ours-db-2'], "git's output");
    expect(await get(team, 'carol', 'secret/app/db')).toBe('theirs-db-2');
  });

  it('is listed by status and key show, with no key needed to list it', async () => {
    const team = await createTeam();
    const status = await team.as('alice', ['status']);
    expect(status.stdout).toMatch(/recipients {2}alice \([0-9a-f]{16}\), bob \([0-9a-f]{16}\), carol \([0-9a-f]{16}\)\n/);
    expect(status.stdout).toContain('protected by recipients');
    const shown = expectExit(await team.as('alice', ['key', 'show']), 0).stdout;
    expect(shown).toContain(`opens:        ${team.sandbox.storePath} (as alice)`);
    const nobody = expectExit(await team.sandbox.run(['recipients', 'list', '-format=json'], { env: { XDG_CONFIG_HOME: join(team.sandbox.dir, 'none') } }), 0);
    const json = JSON.parse(nobody.stdout) as { recipients: Array<{ name: string; fingerprint: string }>; shared_key: boolean };
    expect(json.recipients.map((r) => r.name)).toEqual(['alice', 'bob', 'carol']);
    expect(json.shared_key).toBe(false);
  });

  it('is refused, on a machine that opened it before, when someone without its key replaced it for the listed recipients', async () => {
    const team = await createTeam();
    expect(await get(team, 'alice', 'secret/app/db')).toBe('base-db-1');
    // The forger copies the entries they can see (keys, not values) and writes their own values.
    forgeStore(team.sandbox.storePath, new Map([['sys/mounts', {}]]));
    const refused = expectExit(await team.as('alice', ['kv', 'get', 'secret/app/db']), 4);
    expect(refused.stderr.split('\n')[0]).toBe(`the root key of ${team.sandbox.storePath} changed without proof from the previous key (a store written by someone who does not hold its key; restore it from version control)`);
    // A removal made by a key holder changes the root key too, and is accepted (its lineage links it).
    const legit = await createTeam();
    expect(await get(legit, 'carol', 'secret/app/db')).toBe('base-db-1');
    expectExit(await legit.as('alice', ['recipients', 'remove', 'bob']), 0);
    expect(await get(legit, 'carol', 'secret/app/db')).toBe('base-db-1');
  });
});
