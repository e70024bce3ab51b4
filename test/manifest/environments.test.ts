import { describe, expect, it } from 'vitest';
import { isSecretrunError } from '../../src/errors.js';
import { fillEnvironment, usesEnvironment } from '../../src/manifest/environment.js';
import { parseManifest, parseManifestEnvironments } from '../../src/manifest/parse-manifest.js';

const manifest = `env:
  DB_PASSWORD: secret/{{env}}/db#password
  DB_HOST: { ref: "secret/{{env}}/db#host", mask: false }
  URL: { template: "https://{{ env }}.example.com/{{ secret/{{env}}/db#user }} \\\\{{env}}" }
  LOG_LEVEL: { ref: secret/shared#log_level, default: info }
expand:
  - { path: "secret/{{env}}/app", prefix: APP_ }
dotenv: [.env]
source: { store: ".secretrun/{{env}}.json" }
environments:
  dev:
  staging: {}
  prod:
    env:
      LOG_LEVEL: secret/prod/logging#level
      SENTRY_DSN: secret/prod/sentry#dsn
    dotenv: [".env.{{env}}"]
    source: { address: "https://vault-{{env}}.example.com:8200", token_env: PROD_TOKEN }
`;

function parse(text: string, environment?: string) {
  return parseManifest(text, { file: 'secretrun.yaml', dir: '/w' }, { environment });
}

function errorOf(run: () => unknown): { code: string; message: string; hint: string | undefined } {
  try {
    run();
  } catch (error) {
    if (isSecretrunError(error)) return { code: error.code, message: error.message, hint: error.hint };
    throw error;
  }
  throw new Error('no error');
}

describe('environments in the manifest', () => {
  it('fills {{env}} in references, templates, expanded paths, dotenv files and the store', () => {
    const dev = parse(manifest, 'dev');
    expect(dev.environment).toBe('dev');
    expect(dev.environments).toEqual(['dev', 'staging', 'prod']);
    expect(dev.variables.map((variable) => [variable.name, variable.kind === 'reference' ? `${variable.ref.path}#${variable.ref.field}` : variable.parts])).toEqual([
      ['DB_PASSWORD', 'secret/dev/db#password'],
      ['DB_HOST', 'secret/dev/db#host'],
      ['URL', [{ kind: 'text', text: 'https://dev.example.com/' }, { kind: 'ref', ref: { path: 'secret/dev/db', field: 'user' } }, { kind: 'text', text: ' {{env}}' }]],
      ['LOG_LEVEL', 'secret/shared#log_level'],
    ]);
    expect(dev.variables[1]?.mask).toBe(false);
    expect(dev.expand.map((expansion) => expansion.path)).toEqual(['secret/dev/app']);
    expect(dev.dotenv).toEqual(['/w/.env']);
    expect(dev.source).toEqual({ kind: 'store', store: '/w/.secretrun/dev.json' });
    expect(parse(manifest, 'staging').source).toEqual({ kind: 'store', store: '/w/.secretrun/staging.json' });
  });

  it('applies an environment\'s own variables over those of the same name, its dotenv files after, its source instead', () => {
    const prod = parse(manifest, 'prod');
    const byName = Object.fromEntries(prod.variables.map((variable) => [variable.name, variable]));
    expect(Object.keys(byName)).toEqual(['DB_PASSWORD', 'DB_HOST', 'URL', 'LOG_LEVEL', 'SENTRY_DSN']);
    expect(byName['LOG_LEVEL']).toMatchObject({ kind: 'reference', ref: { path: 'secret/prod/logging', field: 'level' }, default: undefined, where: 'secretrun.yaml:15:7' });
    expect(prod.dotenv).toEqual(['/w/.env', '/w/.env.prod']);
    expect(prod.source).toMatchObject({ kind: 'remote', address: 'https://vault-prod.example.com:8200', tokenEnv: 'PROD_TOKEN' });
  });

  it('refuses an environment the manifest does not define, naming those it does', () => {
    expect(errorOf(() => parse(manifest, 'prdo'))).toEqual({
      code: 'usage',
      message: "unknown environment 'prdo': did you mean 'prod'? secretrun.yaml defines dev, staging, prod",
      hint: 'Pass one of them with -env=NAME or SECRETRUN_ENV, or add it under environments: in the manifest.',
    });
    expect(errorOf(() => parse('env:\n  A: secret/a#b\n', 'prod')).message).toBe("unknown environment 'prod': secretrun.yaml defines no environments");
    // Not a key of an object's prototype either.
    expect(errorOf(() => parse(manifest, 'constructor')).code).toBe('usage');
  });

  it('refuses {{env}} when no environment was chosen, saying where it is used', () => {
    expect(errorOf(() => parse(manifest))).toEqual({
      code: 'usage',
      message: 'secretrun.yaml uses {{env}} (env.DB_PASSWORD) but no environment was chosen (defined: dev, staging, prod)',
      hint: 'Pass -env=NAME or set SECRETRUN_ENV.',
    });
    expect(errorOf(() => parse('env:\n  A: secret/a#b\nsource: { store: "{{env}}.json" }\nenvironments: { dev: }\n')).message).toContain('(source.store)');
    // Without {{env}}, the manifest runs as it is without an environment.
    const base = parse('env:\n  A: secret/a#b\nenvironments:\n  prod:\n    env: { A: secret/p#b }\n');
    expect(base.variables).toMatchObject([{ name: 'A', ref: { path: 'secret/a' } }]);
    expect(base.environment).toBeUndefined();
  });

  it('reports bad environment names and keys at their lines', () => {
    expect(() => parse('environments:\n  pr/od:\n  dev: { env: { A: no-ref }, store: x }\n', 'dev')).toThrow(
      [
        "secretrun.yaml:2:3: environments: invalid environment name 'pr/od' (expected an environment name [A-Za-z0-9][A-Za-z0-9_-]*)",
        "secretrun.yaml:3:20: environments.dev.env.A: invalid value 'no-ref' (expected a reference path#field or path#field@version)",
        "secretrun.yaml:3:30: environments.dev: unknown key 'store' (allowed: env, dotenv, source)",
      ].join('\n'),
    );
    expect(() => parse('environments:\n  dev:\n    env:\n      U: { template: "{{ nope }}" }\n', 'dev')).toThrow(
      "secretrun.yaml:4:22: environments.dev.env.U.template: invalid reference '{{ nope }}' (expected path#field or path#field@version)",
    );
  });

  it('lists the environments and whether the manifest needs one, from text that may not validate', () => {
    expect(parseManifestEnvironments(manifest)).toEqual({ names: ['dev', 'staging', 'prod'], needed: 'env.DB_PASSWORD' });
    expect(parseManifestEnvironments('env: { A: secret/a#b }\nenvironments: { dev: , "bad/name": }\nunknown_key: 1\n')).toEqual({ names: ['dev'], needed: undefined });
    expect(parseManifestEnvironments('[not a map')).toEqual({ names: [], needed: undefined });
  });
});

describe('the {{env}} placeholder', () => {
  it('is {{env}} or {{ env }}, and a backslash before it keeps it literal', () => {
    expect(fillEnvironment('secret/{{env}}/db#{{ env }}_pw \\{{env}}', 'prod')).toBe('secret/prod/db#prod_pw \\{{env}}');
    expect(usesEnvironment('\\{{env}} only')).toBe(false);
    expect(usesEnvironment('a {{  env }}')).toBe(true);
    expect(usesEnvironment('{{ environment }}')).toBe(false);
  });
});
