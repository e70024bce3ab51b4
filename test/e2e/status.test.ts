// `secretrun status` (and `doctor`) with the built CLI in real project directories and real git.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit, expectNoSecrets, randomRootKey, type CliResult, type CliSandbox } from './run-cli.js';

// No system git config: the sandbox's HOME holds the only global one (empty).
const gitEnv = { GIT_CONFIG_NOSYSTEM: '1' };
const secretValue = 'pr0ject-status-s3cret-7f3a9c';

async function git(sandbox: CliSandbox, args: string[], cwd: string): Promise<void> {
  await execa('git', args, { cwd, env: { ...sandbox.env, ...gitEnv }, extendEnv: false });
}

// A project in a git work tree with a manifest and a store holding one secret; `setup` runs
// `secretrun git setup` as a healthy project would have.
async function project(options: { setup?: boolean } = {}): Promise<{ sandbox: CliSandbox; root: string; nested: string; store: string }> {
  const sandbox = createSandbox();
  const root = join(sandbox.dir, 'proj');
  const nested = join(root, 'a', 'b');
  mkdirSync(nested, { recursive: true });
  await git(sandbox, ['init', '-q'], root);
  writeFileSync(join(root, 'secretrun.yaml'), 'env:\n  API_KEY: secret/app#api_key\n');
  expectExit(await sandbox.run(['kv', 'put', 'secret/app', `api_key=${secretValue}`], { cwd: root }), 0);
  if (options.setup !== false) expectExit(await sandbox.run(['git', 'setup'], { cwd: root, env: gitEnv }), 0);
  return { sandbox, root, nested, store: join(root, '.secretrun', 'store.json') };
}

function status(sandbox: CliSandbox, cwd: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return sandbox.run(['status', ...args], { cwd, env: { ...gitEnv, ...env } });
}

// The problem lines of a table report.
function problems(result: CliResult): string[] {
  const lines = result.stdout.split('\n');
  const start = lines.findIndex((line) => /^\d+ problems?:$/.test(line));
  return start === -1 ? [] : lines.slice(start + 1).filter((line) => line !== '');
}

describe('secretrun status', () => {
  it('reports a healthy project from a nested subdirectory and exits 0', async () => {
    const { sandbox, root, nested, store } = await project();
    const result = expectExit(await status(sandbox, nested), 0);
    expect(result.stdout).toContain(`project     ${root}\n`);
    expect(result.stdout).toContain('manifest    ../../secretrun.yaml (the project; valid, 1 variable)');
    expect(result.stdout).toContain(`store       ${store} (the project's; used by kv commands and the runner)`);
    expect(result.stdout).toMatch(/format 1, \d+ bytes, \d+ entries, id [\w-]+, protected by a root key/);
    expect(result.stdout).toContain('key         SECRETRUN_KEY (opens the store)');
    expect(result.stdout).toContain(`git         ${root}: merge=secretrun diff=secretrun text=unset; merge driver defined, textconv defined`);
    expect(result.stdout).toContain('remote      none (VAULT_ADDR is not set)');
    expect(result.stdout.endsWith('No problems found.\n')).toBe(true);
    const json = JSON.parse(expectExit(await status(sandbox, nested, ['-format=json']), 0).stdout) as Record<string, unknown>;
    expect(json['ok']).toBe(true);
    expect(json['problems']).toEqual([]);
    expect((json['project'] as { dir: string }).dir).toBe(root);
    // doctor is the same command.
    expect(expectExit(await sandbox.run(['doctor'], { cwd: nested, env: gitEnv }), 0).stdout).toBe(result.stdout);
  });

  it('with a wrong key: says the key does not open the store, and how to fix it; exits 10', async () => {
    const { sandbox, root } = await project();
    const result = expectExit(await status(sandbox, root, [], { SECRETRUN_KEY: randomRootKey() }), 10);
    expect(result.stdout).toContain('key         SECRETRUN_KEY (does not open the store)');
    expect(problems(result)).toEqual([expect.stringMatching(/^ {2}key: cannot decrypt .*store\.json: wrong key from SECRETRUN_KEY \(set SECRETRUN_KEY or SECRETRUN_KEY_FILE to the key this store was created with\)$/)]);
    const json = JSON.parse(expectExit(await status(sandbox, root, ['-format=json'], { SECRETRUN_KEY: randomRootKey() }), 10).stdout) as { ok: boolean; problems: { topic: string }[] };
    expect(json.ok).toBe(false);
    expect(json.problems.map((p) => p.topic)).toEqual(['key']);
  });

  it('without a store: says where it would be and how to create it', async () => {
    const sandbox = createSandbox();
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'env:\n  A: secret/x#a\n');
    const result = expectExit(await status(sandbox, sandbox.dir), 10);
    expect(result.stdout).toContain('            not created yet');
    expect(problems(result)).toEqual([
      `  store: no store at ${join(sandbox.dir, '.secretrun', 'store.json')}. Fix: Run "secretrun init" (or the first "secretrun kv put" creates it), or pass -store or set SECRETRUN_STORE to use another one.`,
    ]);
  });

  it('with a malformed manifest: one line naming the file, line and column', async () => {
    const { sandbox, root, nested } = await project();
    writeFileSync(join(root, 'secretrun.yaml'), 'env:\n  A: [oops\n');
    const result = expectExit(await status(sandbox, nested), 10);
    expect(result.stdout).toContain('manifest    ../../secretrun.yaml (the project; not valid)');
    const lines = problems(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ {2}manifest: \.\.\/\.\.\/secretrun\.yaml:3:1: invalid YAML: /);
  });

  it('with git\'s merge driver not set up: the attributes, then this clone\'s config', async () => {
    const { sandbox, root } = await project({ setup: false });
    const before = expectExit(await status(sandbox, root), 10);
    expect(problems(before)).toEqual([
      expect.stringMatching(/^ {2}git: git gives .*store\.json merge=unspecified diff=unspecified, so a merge of two branches' stores conflicts line by line\. Fix: Run "secretrun git setup"/),
      "  git: this clone's git config does not define merge.secretrun.driver and diff.secretrun.textconv, so git cannot run secretrun's merge and diff drivers. Fix: Run \"secretrun git setup\" in this clone (or \"secretrun git setup -global\" once for all your clones).",
    ]);
    // A fresh clone: the committed .gitattributes routes the store, the clone's config lacks the drivers.
    expectExit(await sandbox.run(['git', 'setup'], { cwd: root, env: gitEnv }), 0);
    await git(sandbox, ['config', '--unset', 'merge.secretrun.driver'], root);
    const clone = expectExit(await status(sandbox, root), 10);
    expect(problems(clone)).toEqual([expect.stringMatching(/^ {2}git: this clone's git config does not define merge\.secretrun\.driver, so git cannot run secretrun's merge driver\./)]);
    // A store git ignores needs no driver.
    writeFileSync(join(root, '.gitignore'), '.secretrun/\n');
    expect(expectExit(await status(sandbox, root), 0).stdout).toContain(`git         ${root} (the store is ignored by git)`);
  });

  it('with conflict markers in the store: says so and how to finish the merge', async () => {
    const { sandbox, root, store } = await project();
    const text = readFileSync(store, 'utf8');
    writeFileSync(store, `<<<<<<< ours\n${text}=======\n${text}>>>>>>> theirs\n`);
    const lines = problems(expectExit(await status(sandbox, root), 10));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ {2}store: .*conflict/);
  });

  it('outside any project, says where the walk stopped', async () => {
    const sandbox = createSandbox();
    const dir = join(sandbox.dir, 'empty');
    mkdirSync(dir);
    const result = await status(sandbox, dir);
    expect(result.stdout).toContain(`project     none found (looked from ${dir} up to ${dir}, your home directory)`);
    expect(result.stdout).toContain('manifest    none found');
  });

  it('names where a server token would come from, never the token, and needs one', async () => {
    const { sandbox, root } = await project();
    const address = 'https://status-user:addr-pa55-9c1e@vault.example.test:8200';
    const token = 'hvs.status-token-4b7d2e';
    const without = expectExit(await status(sandbox, root, [], { VAULT_ADDR: address }), 10);
    expect(without.stdout).toContain('remote      https://vault.example.test:8200/ (from VAULT_ADDR; token from nowhere)');
    expect(problems(without)[0]).toContain('no token for https://vault.example.test:8200/: VAULT_TOKEN is not set');
    const withToken = expectExit(await status(sandbox, root, [], { VAULT_ADDR: address, VAULT_TOKEN: token }), 0);
    expect(withToken.stdout).toContain('(from VAULT_ADDR; token from VAULT_TOKEN)');
    for (const result of [without, withToken]) expectNoSecrets(result.stdout + result.stderr, [token, 'addr-pa55-9c1e', 'status-user'], 'status output');
  });

  it('follows the runner\'s rule for a manifest\'s server: allowed or not, and plain http', async () => {
    const { sandbox, root } = await project();
    writeFileSync(join(root, 'secretrun.yaml'), 'source: { address: "https://vault.example.test:8200" }\nenv:\n  A: secret/app#api_key\n');
    const refused = expectExit(await status(sandbox, root), 10);
    expect(problems(refused)).toEqual([expect.stringMatching(/^ {2}remote: secretrun\.yaml names the server https:\/\/vault\.example\.test:8200 \(source\.address\), which you have not allowed: .*\. Fix: Set VAULT_ADDR to your server, or add this address to SECRETRUN_ALLOWED_ADDRESSES/)]);
    const allowed = expectExit(await status(sandbox, root, [], { SECRETRUN_ALLOWED_ADDRESSES: 'https://vault.example.test:8200', VAULT_TOKEN: 'hvs.allowed-1c2d' }), 0);
    expect(allowed.stdout).toContain("remote      https://vault.example.test:8200 (from the manifest's source.address, allowed by SECRETRUN_ALLOWED_ADDRESSES; token from VAULT_TOKEN)");
    const plain = expectExit(await status(sandbox, root, [], { VAULT_ADDR: 'http://vault.example.test:8200', VAULT_TOKEN: 'hvs.allowed-1c2d' }), 10);
    expect(problems(plain)).toEqual([expect.stringMatching(/^ {2}remote: refusing to send a token over plain http to vault\.example\.test:8200/)]);
  });

  it('never prints a secret value, a key, a private key, a passphrase or a token', async () => {
    const { sandbox, root, nested } = await project();
    expectExit(await sandbox.run(['key', 'new'], { cwd: root }), 0);
    const identities = join(sandbox.configHome, 'secretrun', 'identities');
    const privateKeys = readdirSync(identities).map((name) => readFileSync(join(identities, name), 'utf8').split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-')) ?? 'missing');
    const keyFile = join(sandbox.dir, 'root.key');
    writeFileSync(join(sandbox.dir, 'root.key'), `${sandbox.env['SECRETRUN_KEY']}\n`, { mode: 0o600 });
    const secrets = [secretValue, sandbox.env['SECRETRUN_KEY'] as string, ...privateKeys, 'a-pa55phrase-e1d0', 'hvs.never-printed-81f0'];
    const runs = [
      await status(sandbox, nested),
      await status(sandbox, nested, ['-format=json']),
      await status(sandbox, nested, [], { SECRETRUN_KEY: undefined, SECRETRUN_KEY_FILE: keyFile, SECRETRUN_PASSPHRASE: 'a-pa55phrase-e1d0', VAULT_TOKEN: 'hvs.never-printed-81f0' }),
      await status(sandbox, nested, ['-format=json'], { SECRETRUN_KEY: randomRootKey() }),
      await status(sandbox, nested, [], { VAULT_ADDR: 'http://127.0.0.1:1', VAULT_TOKEN: 'hvs.never-printed-81f0' }),
    ];
    expect(runs[2]?.stdout).toContain(`key         key file ${keyFile} (opens the store)`);
    expect(runs[0]?.stdout).toMatch(/identities\/default\.key\): 1 private key [0-9a-f]{16}/);
    for (const result of runs) expectNoSecrets(result.stdout + result.stderr, secrets, 'status output');
  });

  it('is in the help, the command list and the completion scripts, with doctor', async () => {
    const sandbox = createSandbox();
    const help = expectExit(await sandbox.run(['help', 'status']), 0);
    expect(help.stdout).toMatch(/^Usage: secretrun status \[options\]/);
    expect(help.stdout).toContain('-format');
    expect(expectExit(await sandbox.run(['doctor', '-help']), 0).stdout).toMatch(/^Usage: secretrun doctor \[options\]/);
    const list = expectExit(await sandbox.run(['--help']), 0).stdout;
    expect(list).toMatch(/\n {4}status +Show the project, manifest, store and key in use/);
    expect(list).toMatch(/\n {4}doctor +The same as status/);
    const file = join(sandbox.dir, 'completion.bash');
    writeFileSync(file, expectExit(await sandbox.run(['completion', 'bash']), 0).stdout);
    const complete = async (words: string[]): Promise<string[]> => {
      const array = words.map((word) => `'${word}'`).join(' ');
      const { stdout } = await execa('bash', ['-c', `source '${file}'; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _secretrun; printf '%s\\n' "\${COMPREPLY[@]}"`]);
      return stdout.split('\n').filter((line) => line !== '');
    };
    expect(await complete(['secretrun', 'st'])).toEqual(['status']);
    expect(await complete(['secretrun', 'do'])).toEqual(['doctor']);
    expect(await complete(['secretrun', 'status', '-f'])).toEqual(['-format']);
  });
});
