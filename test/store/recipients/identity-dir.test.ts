import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../../src/errors.js';
import { createIdentity } from '../../../src/store/recipients/identity.js';
import { identityFilePath, readIdentityFiles, readIdentityText, resolveIdentityDir, writeNewIdentityFile } from '../../../src/store/recipients/identity-dir.js';
import { renderIdentityFile } from '../../../src/store/recipients/identity-file.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { seededRandom } from './seeded-random.js';

describe('the identities directory', () => {
  it('lives beside the per-store key files under $XDG_CONFIG_HOME/secretrun, or ~/.config', () => {
    expect(resolveIdentityDir({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/secretrun/identities');
    expect(resolveIdentityDir({ HOME: '/home/u' })).toBe('/home/u/.config/secretrun/identities');
    expect(identityFilePath({ XDG_CONFIG_HOME: '/cfg' }, 'ci-github')).toBe('/cfg/secretrun/identities/ci-github.key');
    for (const bad of ['', '../x', 'a/b', '.hidden', 'x'.repeat(65)]) {
      expect(() => identityFilePath({}, bad)).toThrow(SecretrunError);
    }
  });

  it('gets new key files of mode 0600 in a 0700 directory, never overwritten, with no temp file left', async () => {
    const home = makeTempDir();
    const env = { XDG_CONFIG_HOME: home };
    const path = identityFilePath(env, 'default');
    const first = renderIdentityFile(createIdentity(seededRandom('1')), new Date(0));
    await writeNewIdentityFile(path, first);
    expect(readFileSync(path, 'utf8')).toBe(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(resolveIdentityDir(env)).mode & 0o777).toBe(0o700);

    const second = renderIdentityFile(createIdentity(seededRandom('2')), new Date(0));
    await expect(writeNewIdentityFile(path, second)).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('already exists') });
    expect(readFileSync(path, 'utf8')).toBe(first);
    expect(readdirSync(resolveIdentityDir(env))).toEqual(['default.key']);
  });

  it('is read in name order, each file parsed, wide modes flagged, other files ignored', async () => {
    const home = makeTempDir();
    const env = { XDG_CONFIG_HOME: home };
    expect(readIdentityFiles(env)).toEqual([]);
    const a = createIdentity(seededRandom('a'));
    const b = createIdentity(seededRandom('b'));
    await writeNewIdentityFile(identityFilePath(env, 'work'), renderIdentityFile(a, new Date(0)));
    await writeNewIdentityFile(identityFilePath(env, 'ci'), renderIdentityFile(b, new Date(0)));
    const dir = resolveIdentityDir(env);
    writeFileSync(join(dir, 'notes.txt'), 'not a key');
    writeFileSync(join(dir, 'broken.key'), 'garbage\n', { mode: 0o644 });
    chmodSync(join(dir, 'broken.key'), 0o644);
    const files = readIdentityFiles(env);
    expect(files.map((f) => [f.name, f.parsed.ok, f.exposed])).toEqual([
      ['broken', false, true],
      ['ci', true, false],
      ['work', true, false],
    ]);
    expect(files[1]?.parsed).toEqual({ ok: true, entries: [{ kind: 'plain', identity: b }] });
  });

  it('refuses to read a directory, or more than a key file can hold', () => {
    const home = makeTempDir();
    const env = { XDG_CONFIG_HOME: home };
    mkdirSync(join(resolveIdentityDir(env), 'dir.key'), { recursive: true });
    expect(() => readIdentityFiles(env)).toThrow(/it is a directory, not a private key file/);
    expect(existsSync(join(resolveIdentityDir(env), 'dir.key'))).toBe(true);
    expect(() => readIdentityText('/dev/zero')).toThrow(/larger than 64 KiB/);
    const big = join(home, 'big.key');
    writeFileSync(big, `# ${'x'.repeat(70 * 1024)}\n`);
    expect(() => readIdentityText(big)).toThrow(/larger than 64 KiB/);
  });

  it('calls a key readable by others exposed by its mode on POSIX, never on Windows, which keeps no such mode', () => {
    const dir = makeTempDir();
    const file = join(dir, 'wide.key');
    writeFileSync(file, 'AGE-SECRET-KEY-1\n');
    chmodSync(file, 0o644);
    expect(readIdentityText(file, 'linux').exposed).toBe(true);
    expect(readIdentityText(file, 'win32').exposed).toBe(false);
    chmodSync(file, 0o600);
    expect(readIdentityText(file, 'linux').exposed).toBe(false);
  });
});
