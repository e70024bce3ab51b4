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
