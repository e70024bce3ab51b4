import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/parse-manifest.js';
import { checkManifest, renderCheckReport } from '../../src/runner/check-report.js';
import { resolveManifest } from '../../src/runner/resolve-manifest.js';
import type { SecretRequest } from '../../src/source/source.js';
import { createJsonFileSource } from '../fixtures/runner/json-file-source.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function setup(manifest: string, secrets: Record<string, unknown>, files: Record<string, string> = {}) {
  const dir = makeTempDir();
  const sourceFile = join(dir, 'secrets.json');
  writeFileSync(sourceFile, JSON.stringify(secrets));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const requests: SecretRequest[][] = [];
  const inner = createJsonFileSource(sourceFile);
  const source = {
    ...inner,
    readSecrets: (batch: readonly SecretRequest[]) => {
      requests.push([...batch]);
      return inner.readSecrets(batch);
    },
  };
  return { manifest: parseManifest(manifest, { file: 'secretrun.yaml', dir }), source, requests };
}

const secrets = {
  'secret/db': { version: 2, data: { user: 'u1', password: 'p4ssw0rd', port: 5432, tags: ['a'] }, versions: { '1': { user: 'old' } } },
  'secret/app': { data: { 'log-level': 'info', PORT: '80' } },
};

describe('resolveManifest', () => {
  it('reads each distinct path once in one call and builds the layered env', async () => {
    const { manifest, source, requests } = setup(
      `pristine: true
dotenv: [.env]
env:
  USER: secret/db#user
  OLD_USER: secret/db#user@1
  PORT: secret/db#port
  TAGS: secret/db#tags
  URL: { template: "pg://{{ secret/db#user }}:{{ secret/db#password }}@h" }
expand: [{ path: secret/app, prefix: APP_ }]
`,
      secrets,
      { '.env': 'FROM_DOTENV=1\nUSER=overridden\n' },
    );
    const resolved = await resolveManifest(manifest, source, { env: { INHERITED: 'x' } });
    expect(requests).toEqual([[{ path: 'secret/db' }, { path: 'secret/db', version: 1 }, { path: 'secret/app' }]]);
    expect(resolved.env).toEqual({
      FROM_DOTENV: '1',
      USER: 'u1',
      OLD_USER: 'old',
      PORT: '5432',
      TAGS: '["a"]',
      URL: 'pg://u1:p4ssw0rd@h',
      APP_LOG_LEVEL: 'info',
      APP_PORT: '80',
    });
    expect([...resolved.secretValues].sort()).toEqual(['5432', '80', '["a"]', 'info', 'old', 'p4ssw0rd', 'u1'].sort());
  });

  it('reports a name defined both in env and by an expansion', async () => {
    const { manifest, source } = setup('env:\n  APP_PORT: secret/db#user\nexpand: [{ path: secret/app, prefix: APP_ }]\n', secrets);
    await expect(resolveManifest(manifest, source, { env: {} })).rejects.toMatchObject({
      code: 'reference_unresolved',
      message: 'cannot resolve 1 reference:\n  APP_PORT: secret/app#PORT: variable defined twice (also at secretrun.yaml:2:3) (secretrun.yaml:3:10)',
    });
  });

  it('never puts a value in the error', async () => {
    const { manifest, source } = setup('env:\n  A: secret/db#nope\n  B: secret/none#x\n', secrets);
    const error = (await resolveManifest(manifest, source, { env: {} }).catch((caught: unknown) => caught)) as Error;
    expect(error.message).not.toMatch(/u1|p4ssw0rd/);
    expect(error.message).toContain("A: secret/db#nope: no field 'nope' in this secret");
    expect(error.message).toContain('B: secret/none#x: no secret at this path');
  });
});

describe('checkManifest', () => {
  it('reports names and sources, never values, and every problem', async () => {
    const { manifest, source } = setup(
      'env:\n  USER: secret/db#user\n  MISSING: secret/db#nope\n  DEF: { ref: secret/none#x, default: d }\nexpand: [{ path: secret/app }]\n',
      secrets,
    );
    const report = await checkManifest(manifest, source, { env: {} });
    const text = renderCheckReport(report);
    expect(report.ok).toBe(false);
    expect(text).toBe(
      [
        'DEF        default    default (secret/none#x missing)',
        'LOG_LEVEL  expand     secret/app#log-level',
        'PORT       expand     secret/app#PORT',
        'USER       reference  secret/db#user',
        '1 problem:',
        "  MISSING: secret/db#nope: no field 'nope' in this secret (fields: user, password, port, tags) (secretrun.yaml:3:3)",
        '',
      ].join('\n'),
    );
    expect(text).not.toMatch(/u1|info/);
  });
});
