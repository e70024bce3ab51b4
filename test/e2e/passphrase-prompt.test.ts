import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { cliEntry, createSandbox, expectExit } from './run-cli.js';

const passphrase = 'prompt-pass-correct-horse';

// Runs the CLI on a pseudo-terminal (util-linux `script`), answering the passphrase prompt.
async function runOnTerminal(dir: string, env: Record<string, string>, args: string[], answer: string, prompt = 'Passphrase for '): Promise<{ output: string; code: number | null }> {
  const command = [process.execPath, cliEntry(), ...args].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  await waitFor('the passphrase prompt', () => output.includes(prompt));
  child.stdin.write(`${answer}\r`);
  const code = await exited;
  return { output, code };
}

describe('passphrase stores', () => {
  it('ask for the passphrase on a terminal, never echo it, and refuse without one elsewhere', async () => {
    const sandbox = createSandbox({ key: false });
    expectExit(await sandbox.run(['init', '-passphrase'], { env: { SECRETRUN_PASSPHRASE: passphrase } }), 0);
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'token=prompted-value-5d'], { env: { SECRETRUN_PASSPHRASE: passphrase } }), 0);

    const good = await runOnTerminal(sandbox.dir, sandbox.env, ['kv', 'get', '-field=token', 'secret/app'], passphrase);
    expect(good.code).toBe(0);
    expect(good.output).toContain('prompted-value-5d');
    expect(good.output).not.toContain(passphrase);

    const wrong = await runOnTerminal(sandbox.dir, sandbox.env, ['kv', 'get', '-field=token', 'secret/app'], 'not-the-passphrase');
    expect(wrong.code).toBe(3);
    expect(wrong.output).not.toContain('prompted-value-5d');

    // No terminal: nobody to ask, so the key error stands.
    const piped = expectExit(await sandbox.run(['kv', 'get', 'secret/app']), 3);
    expect(piped.stderr).toContain('SECRETRUN_PASSPHRASE');
  });

  it('ask for the passphrase of a protected private key that opens a recipient store', async () => {
    const sandbox = createSandbox();
    expectExit(await sandbox.run(['kv', 'put', 'secret/app', 'token=identity-value-7e']), 0);
    const publicKey = expectExit(await sandbox.run(['key', 'new', '-passphrase'], { env: { SECRETRUN_IDENTITY_PASSPHRASE: passphrase } }), 0).stdout.trim();
    expectExit(await sandbox.run(['recipients', 'add', 'me', publicKey]), 0);
    expectExit(await sandbox.run(['recipients', 'remove', '-shared-key']), 0);
    delete sandbox.env['SECRETRUN_KEY'];
    const good = await runOnTerminal(sandbox.dir, sandbox.env, ['kv', 'get', '-field=token', 'secret/app'], passphrase, 'Passphrase of your private key');
    expect(good.code).toBe(0);
    expect(good.output).toContain('identity-value-7e');
    expect(good.output).not.toContain(passphrase);
    const piped = expectExit(await sandbox.run(['kv', 'get', 'secret/app']), 3);
    expect(piped.stderr).toContain('is protected by a passphrase');
    expect(piped.stderr).toContain('SECRETRUN_IDENTITY_PASSPHRASE');
  });
});
