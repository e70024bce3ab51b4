import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit, expectNoSecrets } from './run-cli.js';

// What flows into the runner from secrets and manifests, through the built CLI.

describe('a secret value with a NUL byte', () => {
  it('stops run, check and env before anything starts, naming the variable and never the value', async () => {
    const sandbox = createSandbox();
    const distinctive = 'nul-secret-5c9e27d1';
    writeFileSync(join(sandbox.dir, 'bad.json'), JSON.stringify({ token: `before\u0000${distinctive}`, ok: 'fine-value-3a1b' }));
    expectExit(await sandbox.run(['kv', 'put', 'secret/bad', '@bad.json']), 0);
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'env:\n  API_TOKEN: secret/bad#token\n  OK: secret/bad#ok\n');
    const marker = join(sandbox.dir, 'started');
    const run = await sandbox.run(['run', '--once', '--', 'sh', '-c', `touch '${marker}'`]);
    const check = await sandbox.run(['check']);
    const env = await sandbox.run(['env']);
    const problem = 'API_TOKEN: secret/bad#token: value contains a NUL byte, which an environment cannot hold (secretrun.yaml:2:3)';
    for (const [name, result] of Object.entries({ run, check, env })) {
      expect(result.exitCode, `${name}: ${result.stderr}`).toBe(7);
      expect(result.stderr, name).toContain(problem);
      expect(result.stderr, name).not.toContain('internal error');
      expectNoSecrets(result.stdout + result.stderr, [distinctive, 'before\u0000', 'fine-value-3a1b'], `${name}'s output`);
    }
    expect(run.stdout).toBe('');
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a variable named __proto__', () => {
  it('is checked and reaches the command like any other name', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'user=proto-user', 'other=ctor']), 0);
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'mask: false\nenv:\n  __proto__: secret/app#user\n');
    const check = expectExit(await sandbox.run(['check']), 0);
    expect(check.stdout).toContain('__proto__  reference  secret/app#user');
    const run = expectExit(await sandbox.run(['run', '--once', '-e', 'constructor=secret/app#other', '--', 'sh', '-c', 'env | grep -E "^(__proto__|constructor)=" | sort']), 0);
    expect(run.stdout).toBe('__proto__=proto-user\nconstructor=ctor\n');
    const json = JSON.parse(expectExit(await sandbox.run(['env', '-format=json', '-e', 'constructor=secret/app#other']), 0).stdout) as Record<string, string>;
    expect(Object.entries(json)).toEqual([['__proto__', 'proto-user'], ['constructor', 'ctor']]);
  });
});

describe('a hostile manifest', () => {
  it('is a bad manifest (exit 6, file:line), not an internal error: alias bombs, dangling aliases', async () => {
    const sandbox = createSandbox();
    let bomb = 'x0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
    for (let level = 1; level <= 9; level++) bomb += `x${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(', ')}]\n`;
    writeFileSync(join(sandbox.dir, 'bomb.yaml'), `${bomb}env: {}\n`);
    writeFileSync(join(sandbox.dir, 'dangling.yaml'), 'env:\n  A: *nowhere\n');
    const cases = [
      [['check', '--manifest', 'bomb.yaml'], 'bomb.yaml:5:10: invalid YAML: aliases expand the manifest past 10000 values (at *a3); write the values out'],
      [['run', '--manifest', 'bomb.yaml', '--', 'true'], 'bomb.yaml:5:10: invalid YAML: aliases expand the manifest past 10000 values'],
      [['check', '--manifest', 'dangling.yaml'], 'dangling.yaml:2:6: invalid YAML: alias *nowhere has no anchor &nowhere before it'],
    ] as const;
    for (const [args, message] of cases) {
      const result = await sandbox.run(args);
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(6);
      expect(result.stderr).toContain(message);
    }
  });
});

describe('what a command is given', () => {
  it('never the new passphrase of operator rekey, and no loader or interpreter setting from a secret\'s field names', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/config', 'ld_preload=/tmp/evil-3d8a.so', 'node_options=--require /tmp/evil-3d8a.js', 'port=8080']), 0);
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'mask: false\nexpand: [{ path: secret/config }]\n');
    const refused = await sandbox.run(['run', '--once', '--', 'true']);
    expect(refused.exitCode).toBe(7);
    expect(refused.stderr).toContain("LD_PRELOAD: secret/config#ld_preload: expand does not set LD_PRELOAD, which changes what programs load or run; add it to this expansion's allow to set it (secretrun.yaml:2:10)");
    expect(refused.stderr).toContain('NODE_OPTIONS: secret/config#node_options: expand does not set NODE_OPTIONS');
    expectNoSecrets(refused.stderr, ['/tmp/evil-3d8a'], 'stderr');
    expect((await sandbox.run(['check'])).exitCode).toBe(7);

    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'mask: false\nexpand: [{ path: secret/config, prefix: APP_ }]\n');
    const run = expectExit(
      await sandbox.run(['run', '--once', '--', 'sh', '-c', 'env | grep -E "^(APP_|SECRETRUN_|LD_|NODE_)" | sort'], { env: { SECRETRUN_NEW_PASSPHRASE: 'new-pass-51c0', SECRETRUN_PASSPHRASE: 'old-pass-51c0' } }),
      0,
    );
    expect(run.stdout).toBe('APP_LD_PRELOAD=/tmp/evil-3d8a.so\nAPP_NODE_OPTIONS=--require /tmp/evil-3d8a.js\nAPP_PORT=8080\n');
  });

  it('as dotenv, refuses a value no quoting carries safely, in one line naming the variable', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/q', `mixed=it's $(touch pwned-6e1b)`, 'plain=$(touch pwned-6e1b)']), 0);
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'env:\n  MIXED: secret/q#mixed\n  PLAIN: secret/q#plain\n');
    const refused = await sandbox.run(['env']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr.split('\n')[0]).toBe('cannot write MIXED as dotenv: its value has a \' and one of $ ` \\ " (no dotenv quoting keeps that both exact and inert when sourced by sh)');
    expectNoSecrets(refused.stdout + refused.stderr, ['pwned-6e1b'], 'output');
    writeFileSync(join(sandbox.dir, 'secretrun.yaml'), 'env:\n  PLAIN: secret/q#plain\n');
    const dotenv = expectExit(await sandbox.run(['env']), 0);
    writeFileSync(join(sandbox.dir, '.env'), dotenv.stdout);
    expect(execFileSync('/bin/sh', ['-c', '. ./.env; printf %s "$PLAIN"'], { cwd: sandbox.dir, encoding: 'utf8' })).toBe('$(touch pwned-6e1b)');
    expect(existsSync(join(sandbox.dir, 'pwned-6e1b'))).toBe(false);
  });
});
