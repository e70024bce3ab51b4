// Every schema rule has a fixture in test/fixtures/runner/manifests/ with its exact message.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isSecretrunError } from '../../src/errors.js';
import { parseManifest } from '../../src/manifest/parse-manifest.js';
import { readManifest } from '../../src/manifest/read-manifest.js';
import { withFlagVariables } from '../../src/manifest/variable-flag.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const manifests = fileURLToPath(new URL('../fixtures/runner/manifests/', import.meta.url));

const expected: Record<string, string> = {
  'alias-bomb': 'alias-bomb.yaml:6:10: invalid YAML: aliases expand the manifest past 10000 values (at *d); write the values out',
  'alias-cycle': 'alias-cycle.yaml:2:10: invalid YAML: alias *loop is inside the value it names',
  'alias-unresolved': 'alias-unresolved.yaml:2:6: invalid YAML: alias *nowhere has no anchor &nowhere before it',
  'bad-auth': "bad-auth.yaml:3:19: source.auth.method: invalid value 'ldap' (allowed: token, approle)",
  'bad-credential': "bad-credential.yaml:1:20: keep_credentials[0]: invalid value 'AWS_SECRET' (allowed: SECRETRUN_KEY, SECRETRUN_KEY_FILE, SECRETRUN_PASSPHRASE, SECRETRUN_IDENTITY_PASSPHRASE, VAULT_TOKEN)",
  'bad-duration': "bad-duration.yaml:1:15: kill_timeout: invalid value '5 seconds' (expected a duration such as 100ms, 5s, 1m30s or 0)",
  'bad-hook': "bad-hook.yaml:2:42: hooks.pre_start: unknown key 'timeot' (allowed: command, timeout)",
  'bad-hook-empty': 'bad-hook-empty.yaml:2:14: hooks.on_change: must NOT have fewer than 1 items',
  'bad-inherit': "bad-inherit.yaml:2:17: inherit.allow[1]: invalid value 'HOME-DIR' (expected a variable name pattern (letters, digits, _ and *))",
  'bad-mask': "bad-mask.yaml:1:7: mask: invalid value 'sometimes' (allowed: true, false, auto)",
  'bad-on-change': "bad-on-change.yaml:1:12: on_change: invalid value 'reboot' (allowed: restart, signal, exit, none)",
  'bad-reference': "bad-reference.yaml:2:11: env.DB_URL: invalid value 'secret/db/url' (expected a reference path#field or path#field@version)",
  'bad-remote': "bad-remote.yaml:2:12: source.address: invalid value 'ftp://vault.example.com' (expected an http(s) URL)\nbad-remote.yaml:3:3: source: unknown key 'token' (allowed: address, token_env, auth, poll_interval)",
  'bad-signal': "bad-signal.yaml:1:14: stop_signal: invalid value 'TERM' (allowed: SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT, SIGALRM, SIGKILL)",
  'bad-store-key': "bad-store-key.yaml:3:3: source: unknown key 'token_env' (allowed: store)",
  'bad-template': "bad-template.yaml:2:23: env.DB_URL.template: invalid reference '{{ host }}' (expected path#field or path#field@version)",
  'bad-type': "bad-type.yaml:1:11: pristine: must be true or false",
  'bad-variable-name': "bad-variable-name.yaml:2:3: env: invalid variable name 'DB-URL' (expected a variable name [A-Za-z_][A-Za-z0-9_]*)",
  'bad-yaml': "bad-yaml.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  'duplicate-key': "duplicate-key.yaml:4:3: env.API_KEY: defined twice (first at line 2)",
  'env-not-map': "env-not-map.yaml:1:6: env: must be a map",
  'expand-bad-prefix': "expand-bad-prefix.yaml:2:33: expand[0].prefix: invalid value 'app-' (expected a prefix of letters, digits and _)",
  'expand-missing-path': "expand-missing-path.yaml:2:5: expand[0]: missing key 'path'",
  'missing-ref': "missing-ref.yaml:2:11: env.DB_URL: missing key 'ref'",
  'not-a-map': "not-a-map.yaml:1:1: must be a map",
  'unclosed-template': "unclosed-template.yaml:2:23: env.DB_URL.template: unclosed '{{' at character 12 (write \\{{ for a literal '{{')",
  'unknown-ref-key': "unknown-ref-key.yaml:4:5: env.DB_URL: unknown key 'defualt' (allowed: ref, optional, default, mask)",
  'unknown-template-key': "unknown-template-key.yaml:2:28: env.DB_URL: unknown key 'optinal' (allowed: template, optional, mask)",
  'unknown-top-key': "unknown-top-key.yaml:2:1: unknown key 'evn' (allowed: env, expand, dotenv, pristine, inherit, source, environments, on_change, leases, reload_signal, stop_signal, kill_timeout, debounce, splay, mask, github_mask, keep_credentials, shell, once, hooks)",
};

function errorOf(name: string): string {
  try {
    parseManifest(readFileSync(join(manifests, `${name}.yaml`), 'utf8'), { file: `${name}.yaml`, dir: '/w' });
  } catch (error) {
    if (isSecretrunError(error) && error.code === 'manifest_invalid') return error.message;
    throw error;
  }
  throw new Error(`${name}.yaml was accepted`);
}

describe('parseManifest', () => {
  it('accepts aliases that share a value', () => {
    const manifest = parseManifest(readFileSync(join(manifests, 'valid-aliases.yaml'), 'utf8'), { file: 'valid-aliases.yaml', dir: '/w' });
    expect(manifest.inherit).toEqual({ allow: ['HOME', 'LANG', 'LC_*'], deny: ['HOME', 'LANG', 'LC_*'] });
    expect(manifest.variables.map((variable) => variable.name)).toEqual(['DB_PASSWORD', 'DB_PASSWORD_COPY']);
  });

  it('counts what aliases expand to as YAML resolves them, even when anchors are redefined', () => {
    // Each level is counted with the anchors as they were when it was written, not as redefined later.
    let text = 'x0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9]\n';
    for (let level = 1; level <= 12; level++) text += `x${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(', ')}]\nr${level}: &a${level - 1} 0\n`;
    expect(() => parseManifest(text, { file: 'm.yaml', dir: '/w' })).toThrow(/^m\.yaml:\d+:\d+: invalid YAML: aliases expand the manifest past 10000 values/);
  });

  it('has an expected message for every invalid fixture', () => {
    const fixtures = readdirSync(manifests).map((file) => file.replace(/\.yaml$/, '')).filter((name) => !name.startsWith('valid'));
    expect(fixtures.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, message] of Object.entries(expected)) {
    it(`rejects ${name} with its exact message`, () => {
      expect(errorOf(name)).toBe(message);
    });
  }

  it('lists every problem of one file, sorted by line', () => {
    const text = 'evn: 1\nenv:\n  A-B: x#y\n  C: { template: "{{ nope }}" }\non_change: never\n';
    expect(() => parseManifest(text, { file: 'm.yaml', dir: '/w' })).toThrow(
      [
        "m.yaml:1:1: unknown key 'evn' (allowed: env, expand, dotenv, pristine, inherit, source, environments, on_change, leases, reload_signal, stop_signal, kill_timeout, debounce, splay, mask, github_mask, keep_credentials, shell, once, hooks)",
        "m.yaml:3:3: env: invalid variable name 'A-B' (expected a variable name [A-Za-z_][A-Za-z0-9_]*)",
        "m.yaml:4:18: env.C.template: invalid reference '{{ nope }}' (expected path#field or path#field@version)",
        "m.yaml:5:12: on_change: invalid value 'never' (allowed: restart, signal, exit, none)",
      ].join('\n'),
    );
  });

  it('builds a frozen, typed manifest from every supported key', () => {
    const manifest = parseManifest(readFileSync(join(manifests, 'valid-full.yaml'), 'utf8'), { file: 'valid-full.yaml', dir: '/w' });
    expect(Object.isFrozen(manifest)).toBe(true);
    expect(Object.isFrozen(manifest.variables[0])).toBe(true);
    expect(manifest.variables).toEqual([
      { kind: 'reference', name: 'OPENAI_API_KEY', ref: { path: 'secret/api-keys/openai', field: 'api_key' }, optional: false, default: undefined, mask: true, where: 'valid-full.yaml:3:3' },
      { kind: 'reference', name: 'PINNED', ref: { path: 'secret/api-keys/openai', field: 'api_key', version: 3 }, optional: false, default: undefined, mask: true, where: 'valid-full.yaml:4:3' },
      { kind: 'reference', name: 'OPTIONAL', ref: { path: 'secret/maybe', field: 'x' }, optional: true, default: undefined, mask: true, where: 'valid-full.yaml:5:3' },
      { kind: 'reference', name: 'WITH_DEFAULT', ref: { path: 'secret/maybe', field: 'x' }, optional: true, default: 'dev', mask: true, where: 'valid-full.yaml:6:3' },
      { kind: 'reference', name: 'DB_HOST', ref: { path: 'secret/myapp/database', field: 'host' }, optional: false, default: undefined, mask: false, where: 'valid-full.yaml:7:3' },
      {
        kind: 'template',
        name: 'DATABASE_URL',
        parts: [
          { kind: 'text', text: 'postgres://' },
          { kind: 'ref', ref: { path: 'secret/myapp/database', field: 'username' } },
          { kind: 'text', text: ':' },
          { kind: 'ref', ref: { path: 'secret/myapp/database', field: 'password' } },
          { kind: 'text', text: '@' },
          { kind: 'ref', ref: { path: 'secret/myapp/database', field: 'host' } },
          { kind: 'text', text: '/app {{literal}}' },
        ],
        optional: false,
        mask: true,
        where: 'valid-full.yaml:8:3',
      },
    ]);
    expect(manifest.expand).toEqual([
      { path: 'secret/myapp/config', version: undefined, prefix: 'APP_', optional: false, mask: false, allow: [], where: 'valid-full.yaml:10:5' },
      { path: 'secret/shared', version: 2, prefix: '', optional: true, mask: true, allow: ['PATH', 'LD_*'], where: 'valid-full.yaml:11:5' },
    ]);
    const { variables: _variables, expand: _expand, ...rest } = manifest;
    expect(rest).toEqual({
      file: 'valid-full.yaml',
      dir: '/w',
      environment: undefined,
      environments: [],
      dotenv: ['/w/.env', '/w/.env.local'],
      pristine: true,
      inherit: { allow: ['PATH', 'LC_*'], deny: ['LC_SECRET'] },
      source: { kind: 'remote', address: 'https://vault.example.com:8200', tokenEnv: 'MY_TOKEN', auth: { method: 'approle', roleIdEnv: 'CI_ROLE', secretIdEnv: 'CI_SECRET', mount: undefined }, pollIntervalMs: 15000 },
      onChange: 'signal',
      leases: 'keep',
      reloadSignal: 'SIGUSR1',
      stopSignal: 'SIGINT',
      killTimeoutMs: 90_000,
      debounceMs: 250,
      splayMs: 2000,
      mask: 'off',
      githubMask: false,
      keepCredentials: ['VAULT_TOKEN'],
      shell: true,
      once: true,
      hooks: {
        preStart: { command: ['npm', 'run', 'migrate'], timeoutMs: 300_000 },
        onChange: { command: 'curl -fsS -X POST http://localhost:8080/cache/flush', timeoutMs: 60_000 },
      },
    });
  });

  it('gives defaults for an empty manifest and resolves the store path against its directory', () => {
    const empty = parseManifest('', { file: 'e.yaml', dir: '/w' });
    expect(empty).toMatchObject({ variables: [], hooks: { preStart: undefined, onChange: undefined }, onChange: 'restart', leases: 'revoke', stopSignal: 'SIGTERM', killTimeoutMs: 5000, debounceMs: 100, splayMs: 0, mask: 'auto', githubMask: true, source: { kind: 'store', store: undefined } });
    expect(parseManifest('source: { store: s/store.json }\n', { file: 'e.yaml', dir: '/w' }).source).toEqual({ kind: 'store', store: '/w/s/store.json' });
  });
});

describe('readManifest', () => {
  it('reads a file and names it in messages as given', async () => {
    const dir = makeTempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'secretrun.yaml'), 'env:\n  A: secret/a#b\n  B: nope\n');
    await expect(readManifest('secretrun.yaml', dir)).rejects.toThrow(
      "secretrun.yaml:3:6: env.B: invalid value 'nope' (expected a reference path#field or path#field@version)",
    );
    await expect(readManifest('missing.yaml', dir)).rejects.toMatchObject({ code: 'manifest_invalid', message: 'no manifest: missing.yaml' });
  });
});

describe('withFlagVariables', () => {
  it('adds -e variables, replacing manifest variables of the same name', () => {
    const manifest = parseManifest('env:\n  A: secret/a#b\n  B: secret/a#c\n', { file: 'm.yaml', dir: '/w' });
    const merged = withFlagVariables(manifest, ['B=secret/x#y@2', 'C=secret/z#w']);
    expect(merged.variables.map((variable) => [variable.name, variable.where])).toEqual([
      ['A', 'm.yaml:2:3'],
      ['B', '-e B'],
      ['C', '-e C'],
    ]);
    expect(() => withFlagVariables(manifest, ['1X=secret/a#b'])).toThrow("invalid -e '1X=secret/a#b'");
    expect(() => withFlagVariables(manifest, ['X=secret/a'])).toThrow("invalid reference 'secret/a'");
    expect(() => withFlagVariables(manifest, ['X=a#b', 'X=a#c'])).toThrow('-e X given twice');
  });
});
