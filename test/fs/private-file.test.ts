import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makePrivateDir, writePrivateFile } from '../../src/fs/private-file.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const umask = process.umask();
afterEach(() => void process.umask(umask));

describe('private files', () => {
  it('writes a new file 0600 whatever the umask', async () => {
    process.umask(0);
    const file = join(makeTempDir(), 'token');
    await writePrivateFile(file, 'PLAINTEXT-token');
    expect([readFileSync(file, 'utf8'), modeOf(file)]).toEqual(['PLAINTEXT-token', 0o600]);
  });

  it('makes an existing wider file 0600, replacing it whole and leaving no temp file', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'token');
    writeFileSync(file, 'old-and-longer-contents', { mode: 0o644 });
    expect(modeOf(file)).toBe(0o644);
    await writePrivateFile(file, 'PLAINTEXT-new');
    expect([readFileSync(file, 'utf8'), modeOf(file)]).toEqual(['PLAINTEXT-new', 0o600]);
    expect(readdirSync(dir)).toEqual(['token']);
  });

  it('creates missing directories 0700 whatever the umask, and leaves existing ones alone', async () => {
    process.umask(0);
    const root = makeTempDir();
    mkdirSync(join(root, 'project'), { mode: 0o755 });
    await makePrivateDir(join(root, 'project', 'a', 'b'));
    expect([modeOf(join(root, 'project')), modeOf(join(root, 'project', 'a')), modeOf(join(root, 'project', 'a', 'b'))]).toEqual([0o755, 0o700, 0o700]);
    process.umask(0o277);
    await makePrivateDir(join(root, 'project', 'c'));
    expect(modeOf(join(root, 'project', 'c'))).toBe(0o700);
    await makePrivateDir(join(root, 'project'));
    expect(modeOf(join(root, 'project'))).toBe(0o755);
  });
});
