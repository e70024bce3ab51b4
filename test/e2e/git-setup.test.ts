import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectExit } from './run-cli.js';

const gitEnv = { GIT_CONFIG_NOSYSTEM: '1' };

describe('secretrun git setup', () => {
  it('writes the attributes line once, defines the drivers, and says so', async () => {
    const sandbox = createSandbox();
    await execa('git', ['init', '-q'], { cwd: sandbox.dir, env: { ...sandbox.env, ...gitEnv }, extendEnv: false });
    const first = expectExit(await sandbox.run(['git', 'setup'], { env: gitEnv }), 0);
    expect(first.stdout).toBe(
      [
        'Wrote .secretrun/.gitattributes: /store.json -text merge=secretrun diff=secretrun',
        "Defined the secretrun merge and diff drivers in this repository's .git/config (run as: secretrun)",
        'Commit .secretrun/.gitattributes; everyone else runs `secretrun git setup` once in their clone.',
        '',
      ].join('\n'),
    );
    const again = expectExit(await sandbox.run(['git', 'setup'], { env: gitEnv }), 0);
    expect(again.stdout).toContain('.secretrun/.gitattributes already routes store.json to secretrun');
    expect(readFileSync(join(sandbox.dir, '.secretrun', '.gitattributes'), 'utf8')).toBe('/store.json -text merge=secretrun diff=secretrun\n');
    const config = await execa('git', ['config', '--local', '--get', 'merge.secretrun.driver'], { cwd: sandbox.dir, env: { ...sandbox.env, ...gitEnv }, extendEnv: false });
    expect(config.stdout).toBe('secretrun merge-driver %O %A %B %P');
  });

  it('says when another attributes file overrides the line', async () => {
    const sandbox = createSandbox();
    await execa('git', ['init', '-q'], { cwd: sandbox.dir, env: { ...sandbox.env, ...gitEnv }, extendEnv: false });
    mkdirSync(join(sandbox.dir, '.git', 'info'), { recursive: true });
    writeFileSync(join(sandbox.dir, '.git', 'info', 'attributes'), '*.json merge=binary\n');
    const result = expectExit(await sandbox.run(['git', 'setup'], { env: gitEnv }), 1);
    expect(result.stderr).toContain('git still gives .secretrun/store.json merge=binary: another attributes file overrides it (look in .git/info/attributes)');
  });

  it('refuses outside a git work tree and for a store name .gitattributes cannot hold plainly', async () => {
    const sandbox = createSandbox();
    const outside = expectExit(await sandbox.run(['git', 'setup'], { env: gitEnv }), 1);
    expect(outside.stderr).toContain('is not inside a git work tree');
    const odd = expectExit(await sandbox.run(['git', 'setup', '-store=my secrets.json'], { env: gitEnv }), 1);
    expect(odd.stderr).toContain('its name needs quoting in .gitattributes');
  });
});
