import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../http/server-process.js';
import { createSandbox, expectExit } from './run-cli.js';

// Files that hold tokens and keys are the owner's only, whatever the umask and whatever mode
// a file had before: the built CLI and server as users run them.

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('private files', () => {
  it('server writes -root-token-file 0600 even when it existed with a wider mode', async () => {
    const sandbox = createSandbox();
    const tokenFile = join(sandbox.dir, 'root-token');
    writeFileSync(tokenFile, 'stale\n', { mode: 0o644 });
    const server = await startServerProcess([`-store=${sandbox.storePath}`, '-listen-address=127.0.0.1:0', `-root-token-file=${tokenFile}`], sandbox.env, sandbox.dir);
    expect(modeOf(tokenFile)).toBe(0o600);
    expect(readFileSync(tokenFile, 'utf8')).toMatch(/^hvs\.\S+\n$/);
    expect(await server.stop()).toBe(0);
  });

  it('server -dev writes ~/.vault-token 0600 even when it existed with a wider mode', async () => {
    const sandbox = createSandbox();
    const tokenFile = join(sandbox.dir, '.vault-token');
    writeFileSync(tokenFile, 'an-older-token', { mode: 0o666 });
    const server = await startServerProcess(['-dev', '-dev-listen-address=127.0.0.1:0'], sandbox.env);
    expect(readFileSync(tokenFile, 'utf8')).toBe(server.rootToken);
    expect(modeOf(tokenFile)).toBe(0o600);
    expect(await server.stop()).toBe(0);
  });

  it('init creates .secretrun/ 0700 and the key directory 0700 under a permissive umask', async () => {
    const sandbox = createSandbox({ key: false });
    const env = { ...sandbox.env, PATH: `${sandbox.binDir()}:${sandbox.env['PATH']}` };
    const init = await execa('sh', ['-c', 'umask 000 && secretrun init'], { cwd: sandbox.dir, env, extendEnv: false, reject: false });
    expectExit({ stdout: String(init.stdout), stderr: String(init.stderr), exitCode: init.exitCode ?? -1 }, 0);
    expect(modeOf(join(sandbox.dir, '.secretrun'))).toBe(0o700);
    expect(modeOf(join(sandbox.configHome, 'secretrun', 'keys'))).toBe(0o700);
    expect(readFileSync(join(sandbox.dir, '.secretrun', '.gitattributes'), 'utf8')).toBe('/store.json -text\n');
  });
});
