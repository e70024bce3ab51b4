// Project discovery (docs/projects.md): commands run in a subdirectory use the project's
// manifest and store, found by walking up, and never make a second store there.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit, type CliSandbox } from './run-cli.js';

// A project at <sandbox>/proj with a manifest, a store holding one secret, and a nested
// subdirectory to run commands from.
async function project(): Promise<{ sandbox: CliSandbox; root: string; nested: string }> {
  const sandbox = createSandbox();
  const root = join(sandbox.dir, 'proj');
  const nested = join(root, 'src', 'deep', 'er');
  mkdirSync(nested, { recursive: true });
  writeFileSync(join(root, 'secretrun.yaml'), 'env:\n  API_KEY: secret/app#api_key\n');
  expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'api_key=from-the-project'], { cwd: root }), 0);
  return { sandbox, root, nested };
}

// Every .secretrun directory under `dir`.
function storesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory() && entry.name === '.secretrun') found.push(join(entry.parentPath, entry.name));
  }
  return found.sort();
}

describe('project discovery', () => {
  it('kv put, kv get, run, check and env from a nested subdirectory use the project\'s store and manifest', async () => {
    const { sandbox, root, nested } = await project();
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'api_key=written-below'], { cwd: nested }), 0);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/app'], { cwd: nested }), 0).stdout).toBe('written-below');
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/app'], { cwd: root }), 0).stdout).toBe('written-below');
    const run = expectExit(await sandbox.run(['run', '--once', '-mask=off', '--', 'sh', '-c', 'printf "%s|%s" "$API_KEY" "$PWD"'], { cwd: nested }), 0);
    // The child runs where the command was given, with the project's secrets.
    expect(run.stdout).toBe(`written-below|${nested}`);
    const check = expectExit(await sandbox.run(['check'], { cwd: nested }), 0);
    expect(check.stdout).toContain('API_KEY');
    expect(expectExit(await sandbox.run(['env', '-format=dotenv'], { cwd: nested }), 0).stdout).toContain('API_KEY=');
    expect(storesUnder(sandbox.dir)).toEqual([join(root, '.secretrun')]);
  });

  it('a first write below a project with only a manifest creates the store at the project, not below', async () => {
    const sandbox = createSandbox();
    const root = join(sandbox.dir, 'proj');
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    writeFileSync(join(root, 'secretrun.yaml'), 'env:\n  A: secret/x#a\n');
    const put = expectExit(await sandbox.run(['kv', 'put', 'secret/x', 'a=1'], { cwd: join(root, 'a', 'b') }), 0);
    expect(put.stderr).toContain(`created store ${join(root, '.secretrun', 'store.json')}`);
    expect(storesUnder(sandbox.dir)).toEqual([join(root, '.secretrun')]);
  });

  it('names a discovered manifest relative to the working directory in its errors', async () => {
    const { sandbox, root, nested } = await project();
    writeFileSync(join(root, 'secretrun.yaml'), 'env:\n  1BAD: secret/app#api_key\n');
    const result = expectExit(await sandbox.run(['check'], { cwd: nested }), 6);
    expect(result.stderr).toContain('../../../secretrun.yaml:2:3');
  });

  it('stops at a repository root: a checkout nested in a project does not use the project\'s store', async () => {
    const { sandbox, root } = await project();
    const checkout = join(root, 'vendor', 'lib');
    mkdirSync(join(checkout, '.git'), { recursive: true });
    mkdirSync(join(checkout, 'src'));
    const get = expectExit(await sandbox.run(['kv', 'get', 'secret/app'], { cwd: join(checkout, 'src') }), 5);
    expect(get.stderr).toContain(`no store at ${join(checkout, 'src', '.secretrun', 'store.json')}`);
    const run = expectExit(await sandbox.run(['run', '--once', '--', 'true'], { cwd: join(checkout, 'src') }), 6);
    expect(run.stderr).toContain('no manifest: secretrun.yaml');
  });

  it('never walks up into $HOME', async () => {
    const sandbox = createSandbox();
    // The sandbox's directory is $HOME: a project there is not the project of a directory below.
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'env:\n  A: secret/x#a\n');
    expectExit(await sandbox.run(['kv', 'put', 'secret/x', 'a=home'], { cwd: sandbox.dir }), 0);
    const below = join(sandbox.dir, 'work', 'other');
    mkdirSync(below, { recursive: true });
    expectExit(await sandbox.run(['kv', 'get', 'secret/x'], { cwd: below }), 5);
    expectExit(await sandbox.run(['run', '--once', '--', 'true'], { cwd: below }), 6);
  });

  it('explicit flags and variables win over the project', async () => {
    const { sandbox, root, nested } = await project();
    // -store and SECRETRUN_STORE resolve from the working directory.
    expectExit(await sandbox.run(['kv', 'put', '-store=mine.json', 'secret/app', 'api_key=flag'], { cwd: nested }), 0);
    expect(existsSync(join(nested, 'mine.json'))).toBe(true);
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'api_key=variable'], { cwd: nested, env: { SECRETRUN_STORE: 'var.json' } }), 0);
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/app'], { cwd: nested, env: { SECRETRUN_STORE: join(nested, 'var.json') } }), 0).stdout).toBe('variable');
    expect(expectExit(await sandbox.run(['kv', 'get', '-field=api_key', 'secret/app'], { cwd: nested }), 0).stdout).toBe('from-the-project');
    // -manifest and -store for the runner.
    writeFileSync(join(nested, 'local.yaml'), 'env:\n  LOCAL_KEY: secret/app#api_key\n');
    const run = expectExit(await sandbox.run(['run', '--once', '-mask=off', '-manifest=local.yaml', '-store=mine.json', '--', 'sh', '-c', 'printf "%s/%s" "$LOCAL_KEY" "${API_KEY-unset}"'], { cwd: nested }), 0);
    expect(run.stdout).toBe('flag/unset');
    // A manifest's source.store resolves from the manifest's directory, wherever it is run from.
    writeFileSync(join(root, 'secretrun.yaml'), 'source: { store: src/deep/er/mine.json }\nenv:\n  API_KEY: secret/app#api_key\n');
    const viaManifest = expectExit(await sandbox.run(['run', '--once', '-mask=off', '--', 'sh', '-c', 'printf "%s" "$API_KEY"'], { cwd: join(root, 'src') }), 0);
    expect(viaManifest.stdout).toBe('flag');
    expect(storesUnder(sandbox.dir)).toEqual([join(root, '.secretrun')]);
  });

  it('init refuses inside a project unless -force, and -force starts a nested project', async () => {
    const { sandbox, root, nested } = await project();
    const refused = expectExit(await sandbox.run(['init'], { cwd: nested }), 1);
    expect(refused.stderr).toContain(`it is inside the secretrun project at ${root} (its store is ${join(root, '.secretrun', 'store.json')})`);
    expect(refused.stderr).toContain('pass -force to start a separate project here');
    expect(storesUnder(sandbox.dir)).toEqual([join(root, '.secretrun')]);
    expectExit(await sandbox.run(['init', '-force'], { cwd: nested }), 0);
    expect(storesUnder(sandbox.dir)).toEqual([join(root, '.secretrun'), join(nested, '.secretrun')].sort());
    // From then on the nested project is the nearer one.
    expectExit(await sandbox.run(['kv', 'get', 'secret/app'], { cwd: nested }), 2);
    // -store says where without asking.
    expectExit(await sandbox.run(['init', '-store=elsewhere.json'], { cwd: join(root, 'src') }), 0);
  });
});
