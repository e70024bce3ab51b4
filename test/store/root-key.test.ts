import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { decodeRootKey, resolveRootKey, writeKeyFile } from '../../src/store/root-key.js';
import { resolveKeyFilePath } from '../../src/store/store-paths.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const errorOf = async (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as SecretrunError);

describe('root key', () => {
  const dir = () => makeTempDir('secretrun-key-');

  it('prefers the option, then SECRETRUN_KEY, then SECRETRUN_KEY_FILE, then the default key file', async () => {
    const home = dir();
    const [option, envKey, fileKey, defaultKey] = [randomBytes(32), randomBytes(32), randomBytes(32), randomBytes(32)];
    const keyFile = join(home, 'k.key');
    writeFileSync(keyFile, `${fileKey.toString('base64')}\n`);
    const env = { XDG_CONFIG_HOME: home, SECRETRUN_KEY: envKey.toString('base64'), SECRETRUN_KEY_FILE: keyFile };
    await writeKeyFile(resolveKeyFilePath(env, 'store-id-1'), defaultKey);
    const resolve = (e: Record<string, string>, key?: Buffer) => resolveRootKey({ env: e, ...(key ? { key } : {}) }, 'store-id-1', null, '/p/store.json');
    expect((await resolve(env, option)).key.equals(option)).toBe(true);
    expect(await resolve(env)).toMatchObject({ source: 'SECRETRUN_KEY' });
    const { SECRETRUN_KEY: _a, ...noEnvKey } = env;
    expect((await resolve(noEnvKey)).key.equals(fileKey)).toBe(true);
    const { SECRETRUN_KEY_FILE: _b, ...onlyDefault } = noEnvKey;
    expect((await resolve(onlyDefault)).key.equals(defaultKey)).toBe(true);
  });

  it('refuses a key file larger than 4 KiB, naming it, without reading it all', async () => {
    const error = await errorOf(resolveRootKey({ env: { SECRETRUN_KEY_FILE: '/dev/zero' } }, 'store-id-1', null, '/p/store.json'));
    expect(error).toMatchObject({ code: 'store_key' });
    expect(error?.message).toBe('cannot use key file /dev/zero for /p/store.json: it is larger than 4 KiB (a key file holds one line, base64 of 32 random bytes)');
  });

  it('creates key files 0600 in a 0700 directory', async () => {
    const home = dir();
    const file = resolveKeyFilePath({ XDG_CONFIG_HOME: home }, 'store-id-1');
    await writeKeyFile(file, randomBytes(32));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'secretrun', 'keys')).mode & 0o777).toBe(0o700);
    expect(await errorOf(writeKeyFile(file, randomBytes(32)))).toMatchObject({ code: 'store_io' });
  });

  it('says what is wrong with a bad SECRETRUN_KEY without echoing it', () => {
    for (const bad of ['not base64 at all!', Buffer.alloc(16, 7).toString('base64'), 'c2VjcmV0LXZhbHVl']) {
      let error: unknown;
      try {
        decodeRootKey(bad, 'SECRETRUN_KEY', '/p/store.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SecretrunError);
      expect((error as SecretrunError).code).toBe('store_key');
      expect((error as SecretrunError).message).toContain('SECRETRUN_KEY');
      expect((error as SecretrunError).message).not.toContain(bad);
    }
  });

  it('says where it looked when no key is found', async () => {
    const home = dir();
    mkdirSync(join(home, 'secretrun'), { recursive: true });
    const error = await errorOf(resolveRootKey({ env: { XDG_CONFIG_HOME: home } }, 'store-id-1', null, '/p/store.json'));
    expect(error?.code).toBe('store_key');
    expect(error?.message).toContain('/p/store.json');
    expect(error?.message).toContain(join(home, 'secretrun', 'keys', 'store-id-1.key'));
    expect(error?.message).toContain('SECRETRUN_KEY_FILE');
  });

  it('refuses a passphrase for a store created with a key', async () => {
    const error = await errorOf(resolveRootKey({ env: {}, passphrase: 'pw' }, 'store-id-1', null, '/p/store.json'));
    expect(error?.code).toBe('store_key');
  });
});
