import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalSource, openSecretStore, readManifest, resolveManifest, runSupervised, type SecretSource } from '../src/index.js';
import { makeTempDir } from './helpers/temp-dir.js';

const env = { SECRETRUN_KEY: randomBytes(32).toString('base64'), PATH: process.env['PATH'] ?? '' };
const closing: SecretSource[] = [];
afterEach(async () => {
  for (const source of closing.splice(0)) await source.close();
});

async function setUp(): Promise<{ dir: string; source: SecretSource }> {
  const dir = makeTempDir();
  const path = join(dir, 'store.json');
  const store = await openSecretStore({ path, env });
  await store.writeAll([
    ['secret/myapp/database', { username: 'db_admin', password: 'lib-pass-7f2c', host: 'db.example.com' }],
    ['secret/api-keys/openai', { api_key: 'sk-lib-91ad' }],
  ]);
  await store.close();
  writeFileSync(
    join(dir, 'secretrun.yaml'),
    'env:\n  OPENAI_API_KEY: secret/api-keys/openai#api_key\n  DATABASE_URL:\n    template: "postgres://{{ secret/myapp/database#username }}:{{ secret/myapp/database#password }}@{{ secret/myapp/database#host }}/app"\n',
  );
  const source = await createLocalSource({ path, env });
  closing.push(source);
  return { dir, source };
}

describe('library API', () => {
  it('resolves a manifest to an environment', async () => {
    const { dir, source } = await setUp();
    const manifest = await readManifest('secretrun.yaml', dir);
    const resolved = await resolveManifest(manifest, source, { env });
    expect(resolved.values).toEqual({ OPENAI_API_KEY: 'sk-lib-91ad', DATABASE_URL: 'postgres://db_admin:lib-pass-7f2c@db.example.com/app' });
    expect(resolved.env['SECRETRUN_KEY']).toBeUndefined();
    expect(resolved.env['PATH']).toBe(env.PATH);
  });

  it('runs and supervises a command with the resolved variables, returning its exit code', async () => {
    const { dir, source } = await setUp();
    const manifest = { ...(await readManifest('secretrun.yaml', dir)), once: true, mask: 'on' as const };
    const stdout = new PassThrough();
    let output = '';
    stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await runSupervised({
      manifest,
      source,
      command: process.execPath,
      args: ['-e', 'console.log(process.env.OPENAI_API_KEY.length, process.env.OPENAI_API_KEY); process.exit(4)'],
      io: { stdout, stderr: new PassThrough(), env, cwd: dir },
    });
    expect(code).toBe(4);
    expect(output).toBe('11 <concealed by secretrun>\n');
  });
});
