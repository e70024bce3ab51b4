import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIdentityFile } from '../../src/store/recipients/identity-file.js';
import { buildFingerprint, renderPublicKey, renderSecretKey } from '../../src/store/recipients/identity.js';
import { createSandbox, expectExit } from './run-cli.js';

describe('secretrun key new and key show', () => {
  it('write a private key of mode 0600 under the config home, print its public key, and never overwrite it', async () => {
    const sandbox = createSandbox({ key: false });
    const made = expectExit(await sandbox.run(['key', 'new']), 0);
    const publicKey = made.stdout.trim();
    expect(publicKey).toMatch(/^age1[a-z0-9]{58}$/);
    const file = join(sandbox.configHome, 'secretrun', 'identities', 'default.key');
    expect(made.stderr).toContain(`wrote the private key to ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(sandbox.configHome, 'secretrun', 'identities')).mode & 0o777).toBe(0o700);
    const parsed = parseIdentityFile(readFileSync(file, 'utf8'));
    if (!parsed.ok || parsed.entries[0]?.kind !== 'plain') throw new Error('not a plain key file');
    const identity = parsed.entries[0].identity;
    expect(renderPublicKey(identity.publicKey)).toBe(publicKey);
    expect(made.stdout + made.stderr).not.toContain(renderSecretKey(identity.secret));

    const again = expectExit(await sandbox.run(['key', 'new']), 1);
    expect(again.stderr).toContain('already exists: a private key is never overwritten');
    expect(readFileSync(file, 'utf8')).toContain(renderSecretKey(identity.secret));

    expectExit(await sandbox.run(['key', 'new', '-name=ci']), 0);
    const shown = expectExit(await sandbox.run(['key', 'show']), 0);
    expect(shown.stdout).toContain(`ci (${join(sandbox.configHome, 'secretrun', 'identities', 'ci.key')})`);
    expect(shown.stdout).toContain(`default (${file})\n  public key:   ${publicKey}\n  fingerprint:  ${buildFingerprint(identity.publicKey)}\n  protected:    no`);
    expect(shown.stdout).not.toContain('AGE-SECRET-KEY');
    const json = JSON.parse(expectExit(await sandbox.run(['key', 'show', '-format=json']), 0).stdout) as Array<{ source: string; public_key: string }>;
    expect(json.map((k) => k.source)).toEqual(['ci', 'default']);
    expect(json[1]?.public_key).toBe(publicKey);
  });

  it('print the private key to standard output only with -output=-, for a CI secret', async () => {
    const sandbox = createSandbox({ key: false });
    const made = expectExit(await sandbox.run(['key', 'new', '-output=-']), 0);
    expect(made.stdout).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}\n$/);
    const parsed = parseIdentityFile(made.stdout);
    if (!parsed.ok || parsed.entries[0]?.kind !== 'plain') throw new Error('no key on stdout');
    expect(made.stderr).toContain(`public key ${renderPublicKey(parsed.entries[0].identity.publicKey)}`);
    expect(made.stderr).not.toContain('AGE-SECRET-KEY');
    expect(() => statSync(join(sandbox.configHome, 'secretrun', 'identities'))).toThrow();

    // The key in SECRETRUN_KEY is this machine's key, as in CI.
    const ci = expectExit(await sandbox.run(['key', 'show'], { env: { SECRETRUN_KEY: made.stdout } }), 0);
    expect(ci.stdout).toContain(`SECRETRUN_KEY\n  public key:   ${renderPublicKey(parsed.entries[0].identity.publicKey)}`);
    expect(ci.stdout).not.toContain('AGE-SECRET-KEY');
  });

  it('protect a key with a passphrase, shown as protected without asking for it', async () => {
    const sandbox = createSandbox({ key: false });
    const passphrase = 'correct horse battery staple';
    expectExit(await sandbox.run(['key', 'new', '-passphrase'], { env: { SECRETRUN_IDENTITY_PASSPHRASE: passphrase } }), 0);
    const text = readFileSync(join(sandbox.configHome, 'secretrun', 'identities', 'default.key'), 'utf8');
    expect(text).toContain('SECRETRUN-PROTECTED-KEY-1 age1');
    expect(text).not.toContain('AGE-SECRET-KEY');
    expect(text).not.toContain(passphrase);
    expect(expectExit(await sandbox.run(['key', 'show']), 0).stdout).toContain('protected:    yes (passphrase)');
    const refused = expectExit(await sandbox.run(['key', 'new', '-name=other', '-passphrase']), 1);
    expect(refused.stderr).toContain('SECRETRUN_IDENTITY_PASSPHRASE');
  });

  it('say what is wrong with a broken key, and that a base64 root key has no public key', async () => {
    const sandbox = createSandbox();
    const shown = expectExit(await sandbox.run(['key', 'show'], { env: { SECRETRUN_KEY_FILE: join(sandbox.dir, 'nope.key') } }), 0);
    expect(shown.stderr).toContain('SECRETRUN_KEY holds a shared root key (base64), not a key pair');
    expect(shown.stdout).toContain('No private key on this machine: `secretrun key new` makes one.');
    expect(shown.stdout).toContain('warning: SECRETRUN_KEY_FILE holds no usable key: cannot read it: ENOENT');
    const typo = expectExit(await sandbox.run(['key', 'show'], { env: { SECRETRUN_KEY: 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ' } }), 0);
    expect(typo.stdout).toMatch(/warning: SECRETRUN_KEY holds no usable key: cannot use SECRETRUN_KEY: its private key is not valid: its checksum does not match/);
    expectExit(await sandbox.run(['key', 'new', '-name=../escape']), 1);
  });
});
