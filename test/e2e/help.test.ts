import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliEntry, createSandbox, expectExit } from './run-cli.js';

// Help, version and unknown commands of the built binary; none of them touches a store.

describe('help and version', () => {
  it('prints help for the binary, a group and a command, and the version', async () => {
    const sandbox = createSandbox({ key: false });
    const main = expectExit(await sandbox.run(['--help']), 0);
    expect(main.stdout).toMatch(/^Usage: secretrun <command> \[args\]\n/);
    for (const name of ['kv get', 'kv put', 'kv patch', 'kv metadata get', 'secrets enable', 'operator rekey', 'init']) {
      expect(main.stdout).toMatch(new RegExp(`\\n {4}${name} +\\S`));
    }
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(expectExit(await sandbox.run(['--version']), 0).stdout).toBe(`secretrun v${version}\n`);

    const group = expectExit(await sandbox.run(['kv', '--help']), 0);
    expect(group.stdout).toMatch(/^Usage: secretrun kv <subcommand>/);
    expect(group.stdout).toMatch(/\n {4}get +Retrieve data/);
    expect(group.stdout).toMatch(/\n {4}metadata get +/);

    const get = expectExit(await sandbox.run(['kv', 'get', '-h']), 0);
    // `secretrun help <command>` is `secretrun <command> -help`, for commands and groups alike.
    for (const words of [['kv', 'get'], ['run'], ['operator', 'generate-root'], ['kv']]) {
      const viaHelp = expectExit(await sandbox.run(['help', ...words]), 0);
      expect(viaHelp.stdout).toBe(expectExit(await sandbox.run([...words, '-help']), 0).stdout);
    }
    expect(get.stdout).toMatch(/^Usage: secretrun kv get \[options\] KEY\n/);
    for (const flag of ['-field=<string>', '-format=<string>', '-mount=<string>', '-version=<int>']) expect(get.stdout).toContain(`\n  ${flag}\n`);
    expect(expectExit(await sandbox.run(['kv', 'metadata', 'put', '-help']), 0).stdout).toContain('-custom-metadata');
    expect(expectExit(await sandbox.run(['kv', 'put', 'secret/x', 'a=1', '--help']), 0).stdout).toMatch(/^Usage: secretrun kv put/);
  });

  it('exits 127 for unknown commands and bare groups', async () => {
    const sandbox = createSandbox({ key: false });
    const unknown = expectExit(await sandbox.run(['frobnicate']), 127);
    expect(unknown.stderr).toContain('Unknown command: frobnicate');
    expect(unknown.stdout).toBe('');
    expect(expectExit(await sandbox.run(['kv', 'frobnicate']), 127).stderr).toMatch(/^Usage: secretrun kv <subcommand>/);
    expect(expectExit(await sandbox.run(['kv']), 127).stderr).toMatch(/^Usage: secretrun kv <subcommand>/);
    expect(expectExit(await sandbox.run([]), 127).stderr).toMatch(/^Usage: secretrun <command>/);
  });

  it('sends the runner to its own bundle and help, version and commands to the whole CLI', async () => {
    const sandbox = createSandbox();
    expect(expectExit(await sandbox.run(['-version']), 0).stdout).toMatch(/^secretrun v\d/);
    expect(expectExit(await sandbox.run(['-h']), 0).stdout).toMatch(/^Usage: secretrun <command>/);
    expect(expectExit(await sandbox.run(['-once', '-h']), 0).stdout).toMatch(/^Usage: secretrun \[run\]/);
    expect(expectExit(await sandbox.run(['-e', 'X=secret/nothing#here', '--', 'true']), 7).stderr).toContain('X');
    // The runner's bundle, given a command line that is not the runner's, hands it on.
    const runBundle = join(cliEntry(), '..', '..', 'dist', 'run.cjs');
    const handedOn = await execa(process.execPath, ['-e', `require(${JSON.stringify(runBundle)}).runFromProcess()`, 'node', '-version'], { env: sandbox.env, extendEnv: false, reject: false });
    expect(handedOn.exitCode).toBe(0);
    expect(handedOn.stdout).toMatch(/^secretrun v\d/);
  });
});
