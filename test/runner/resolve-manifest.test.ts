import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/parse-manifest.js';
import { checkManifest, renderCheckReport } from '../../src/runner/check-report.js';
import { resolveManifest, tryResolveManifest } from '../../src/runner/resolve-manifest.js';
import type { SecretrunError } from '../../src/errors.js';
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
    expect([...resolved.secretValues].sort()).toEqual(['5432', '80', '["a"]', 'info', 'old', 'p4ssw0rd', 'pg://u1:p4ssw0rd@h', 'u1'].sort());
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

describe('which values are secrets (masked)', () => {
  const db = { 'secret/db': { data: { host: 'db.internal', port: 5432, user: 'app', password: 'p4ssw0rd' } }, 'secret/cfg': { data: { region: 'eu-west-1', api_key: 'k-123456' } } };

  it('leaves out fields marked mask: false, wherever they are used, and defaults', async () => {
    const { manifest, source } = setup(
      [
        'env:',
        '  DB_HOST: { ref: secret/db#host, mask: false }',
        '  DB_PORT: { ref: secret/db#port, mask: false }',
        '  DB_USER: { ref: secret/db#user@1, mask: false }',
        '  DB_PASSWORD: secret/db#password',
        '  URL: { template: "pg://{{ secret/db#user }}:{{ secret/db#password }}@{{ secret/db#host }}:{{ secret/db#port }}/app" }',
        '  PUBLIC_URL: { template: "https://{{ secret/db#host }}:{{ secret/db#port }}/" }',
        '  SHOWN_URL: { template: "{{ secret/db#password }}@x", mask: false }',
        '  LEVEL: { ref: secret/none#level, default: verbose-logging }',
        'expand:',
        '  - { path: secret/cfg, prefix: CFG_ }',
        '',
      ].join('\n'),
      { 'secret/db': { version: 1, data: db['secret/db'].data, versions: { '1': db['secret/db'].data } }, 'secret/cfg': db['secret/cfg'] },
    );
    const resolved = await resolveManifest(manifest, source, { env: {} });
    expect(resolved.values['URL']).toBe('pg://app:p4ssw0rd@db.internal:5432/app');
    // The password alone, the URL holding it as a whole, and the expanded fields; not the
    // host, port or user, not the template made of them only, not the default.
    expect([...resolved.secretValues].sort()).toEqual(['eu-west-1', 'k-123456', 'p4ssw0rd', 'pg://app:p4ssw0rd@db.internal:5432/app'].sort());
    const masked = Object.fromEntries(resolved.origins.map((origin) => [origin.name, origin.masked]));
    expect(masked).toEqual({ DB_HOST: false, DB_PORT: false, DB_USER: false, DB_PASSWORD: true, URL: true, PUBLIC_URL: false, SHOWN_URL: false, LEVEL: false, CFG_REGION: true, CFG_API_KEY: true });
  });

  it('marks every field of an expansion with mask: false, and a field of it marked alone', async () => {
    const { manifest, source } = setup(
      'env:\n  REGION: { ref: secret/cfg#region, mask: false }\n  KEY: { template: "{{ secret/cfg#api_key }}" }\nexpand:\n  - { path: secret/cfg, prefix: A_ }\n  - { path: secret/db, prefix: B_, mask: false }\n',
      db,
    );
    const resolved = await resolveManifest(manifest, source, { env: {} });
    expect(resolved.secretValues).toEqual(['k-123456']);
    const report = renderCheckReport(await checkManifest(manifest, source, { env: {} }));
    expect(report).toContain('A_REGION    expand     secret/cfg#region  (not masked)\n');
    expect(report).toContain('A_API_KEY   expand     secret/cfg#api_key\n');
    expect(report).toContain('B_PASSWORD  expand     secret/db#password  (not masked)\n');
  });
});

describe('values an environment cannot hold', () => {
  const nul = 'nul\u0000value-7e1f0d-DISTINCT';
  const withNul = {
    'secret/bad': { data: { token: nul, ok: 'fine' } },
    'secret/fields': { data: { GOOD: 'g', BROKEN: nul } },
  };

  it('are problems naming the variable and reference, never the value, wherever they come from', async () => {
    const { manifest, source } = setup(
      [
        'dotenv: [.env]',
        'env:',
        '  TOKEN: secret/bad#token',
        '  URL: { template: "x{{ secret/bad#ok }}{{ secret/bad#token }}" }',
        '  DEF: { ref: secret/none#x, default: "a\\0b" }',
        '  OK: secret/bad#ok',
        'expand: [{ path: secret/fields, prefix: F_ }]',
        '',
      ].join('\n'),
      withNul,
      { '.env': `FROM_FILE="a${nul}"\nPLAIN=1\n` },
    );
    const error = (await resolveManifest(manifest, source, { env: {} }).catch((caught: unknown) => caught)) as SecretrunError;
    expect(error.code).toBe('reference_unresolved');
    const reason = 'value contains a NUL byte, which an environment cannot hold';
    expect(error.details).toEqual([
      `TOKEN: secret/bad#token: ${reason} (secretrun.yaml:3:3)`,
      `URL: secret/bad#ok, secret/bad#token: ${reason} (secretrun.yaml:4:3)`,
      `DEF: secret/none#x: default ${reason} (secretrun.yaml:5:3)`,
      `F_BROKEN: secret/fields#BROKEN: ${reason} (secretrun.yaml:7:10)`,
      `FROM_FILE: dotenv: ${reason} (${join(manifest.dir, '.env')})`,
    ]);
    expect(error.message).not.toContain('DISTINCT');
    expect(error.message).not.toContain('\u0000');
    const report = await checkManifest(manifest, source, { env: {} });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(error.details);
    expect(renderCheckReport(report)).not.toContain('DISTINCT');
  });

  it('are not masked or set, so a bad value never reaches a command', async () => {
    const { manifest, source } = setup('env:\n  TOKEN: secret/bad#token\n  OK: secret/bad#ok\n', withNul);
    const resolved = await tryResolveManifest(manifest, source, { env: {} });
    expect(resolved.values).toEqual({ OK: 'fine' });
    expect(resolved.secretValues).toEqual(['fine']);
  });
});

describe('variable names from users', () => {
  it('keep __proto__ and constructor as ordinary names, from every layer', async () => {
    const { manifest, source } = setup(
      'dotenv: [.env]\nenv:\n  constructor: secret/db#password\nexpand: [{ path: secret/odd, prefix: __proto }]\n',
      { ...secrets, 'secret/odd': { data: { __: 'from-expand', toString: 'ts' } } },
      { '.env': 'hasOwnProperty=h\n' },
    );
    const resolved = await resolveManifest(manifest, source, { env: { valueOf: 'inherited', __proto__: 'inh' } as Record<string, string> });
    expect(Object.keys(resolved.env).sort()).toEqual(['__protoTOSTRING', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'].sort());
    expect(resolved.env['__proto__']).toBe('from-expand');
    expect(resolved.env['constructor']).toBe('p4ssw0rd');
    expect(resolved.env['hasOwnProperty']).toBe('h');
    expect(resolved.env['valueOf']).toBe('inherited');
  });

  it('keep a manifest variable named __proto__ (it passed check and was dropped)', async () => {
    const { manifest, source } = setup('env:\n  __proto__: secret/db#user\n', secrets);
    const report = await checkManifest(manifest, source, { env: {} });
    expect(report.variables.map((variable) => variable.name)).toEqual(['__proto__']);
    const resolved = await resolveManifest(manifest, source, { env: {} });
    expect(Object.keys(resolved.env)).toEqual(['__proto__']);
    expect(Object.keys(resolved.values)).toEqual(['__proto__']);
  });

  it('report a dotenv line setting __proto__, which the dotenv parser drops', async () => {
    const { manifest, source } = setup('dotenv: [.env]\nenv:\n  A: secret/db#user\n', secrets, { '.env': 'export __proto__=x\nB=1\n' });
    await expect(resolveManifest(manifest, source, { env: {} })).rejects.toMatchObject({
      code: 'reference_unresolved',
      details: [`__proto__: dotenv: the dotenv parser cannot read this name; rename the variable (${join(manifest.dir, '.env')})`],
    });
  });
});

describe('expand', () => {
  const config = { 'secret/config': { data: { PATH: '/tmp/evil', ld_preload: '/tmp/evil.so', 'node-options': '--require /tmp/evil.js', git_ssh_command: 'x', port: '80' } } };

  it('does not let a secret field set a name that changes what programs load or run', async () => {
    const { manifest, source } = setup('expand: [{ path: secret/config }]\n', config);
    const report = await checkManifest(manifest, source, { env: {} });
    const reason = (name: string): string => `expand does not set ${name}, which changes what programs load or run; add it to this expansion's allow to set it`;
    expect(report.problems).toEqual([
      `PATH: secret/config#PATH: ${reason('PATH')} (secretrun.yaml:1:10)`,
      `LD_PRELOAD: secret/config#ld_preload: ${reason('LD_PRELOAD')} (secretrun.yaml:1:10)`,
      `NODE_OPTIONS: secret/config#node-options: ${reason('NODE_OPTIONS')} (secretrun.yaml:1:10)`,
      `GIT_SSH_COMMAND: secret/config#git_ssh_command: ${reason('GIT_SSH_COMMAND')} (secretrun.yaml:1:10)`,
    ]);
    await expect(resolveManifest(manifest, source, { env: {} })).rejects.toMatchObject({ code: 'reference_unresolved' });
  });

  it('sets guarded names listed in the expansion\'s allow, and any name behind a prefix', async () => {
    const allowed = setup('expand: [{ path: secret/config, allow: [PATH, "LD_*", NODE_OPTIONS, "GIT_*"] }]\n', config);
    const resolved = await resolveManifest(allowed.manifest, allowed.source, { env: { PATH: '/usr/bin' } });
    expect(resolved.env['PATH']).toBe('/tmp/evil');
    expect(resolved.env['LD_PRELOAD']).toBe('/tmp/evil.so');
    const prefixed = setup('expand: [{ path: secret/config, prefix: APP_ }]\n', config);
    expect(Object.keys((await resolveManifest(prefixed.manifest, prefixed.source, { env: {} })).values).sort()).toEqual(['APP_GIT_SSH_COMMAND', 'APP_LD_PRELOAD', 'APP_NODE_OPTIONS', 'APP_PATH', 'APP_PORT']);
    // env: entries are the manifest author's own choice.
    const explicit = setup('env:\n  PATH: secret/config#PATH\n', config);
    expect((await resolveManifest(explicit.manifest, explicit.source, { env: {} })).env['PATH']).toBe('/tmp/evil');
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

describe('dynamic secrets that check does not read', () => {
  it('lists them as "dynamic, not read" without a problem, in variables, templates and expansions', async () => {
    const { manifest, source: inner } = setup(
      `env:
  USER: secret/db#user
  DB_PASS: database/creds/app#password
  URL: { template: "mysql://{{ database/creds/app#username }}@h" }
expand: [{ path: database/creds/app, prefix: DB_ }]
`,
      secrets,
    );
    const source = {
      ...inner,
      readSecrets: async (batch: readonly SecretRequest[]) => {
        const reads = await inner.readSecrets(batch.filter((request) => !request.path.startsWith('database/')));
        for (const request of batch) if (request.path.startsWith('database/')) reads.set(request.path, { status: 'dynamic' as const });
        return reads;
      },
    };
    const report = await checkManifest(manifest, source, { env: {} });
    expect(report.ok).toBe(true);
    expect(renderCheckReport(report)).toBe(
      [
        'DB_*     expand     database/creds/app  (dynamic, not read)',
        'DB_PASS  reference  database/creds/app#password  (dynamic, not read)',
        'URL      template   database/creds/app#username  (dynamic, not read)',
        'USER     reference  secret/db#user',
        'ok: 4 variables resolved',
        '',
      ].join('\n'),
    );
  });
});
