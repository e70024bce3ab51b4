import { parse } from 'dotenv';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildEnvironment, diffEnvironments } from '../../src/runner/build-env.js';
import { renderEnv } from '../../src/runner/render-env.js';
import { normalizeEnvName } from '../../src/runner/env-name.js';
import { matchesAnyGlob } from '../../src/runner/name-glob.js';

const base = { pristine: false, allow: undefined, deny: [], dotenv: {}, secrets: {}, keepCredentials: [] } as const;

describe('buildEnvironment', () => {
  it('layers inherited → dotenv → secrets', () => {
    const env = buildEnvironment({ ...base, inherited: { A: 'inh', B: 'inh', C: 'inh', U: undefined }, dotenv: { B: 'dot', C: 'dot' }, secrets: { C: 'sec' } });
    expect(env).toEqual({ A: 'inh', B: 'dot', C: 'sec' });
  });

  it('filters inherited names with allow and deny globs, deny winning', () => {
    const inherited = { PATH: '/bin', LC_ALL: 'C', LC_SECRET: 'x', HOME: '/h' };
    expect(buildEnvironment({ ...base, inherited, allow: ['PATH', 'LC_*'], deny: ['*SECRET'] })).toEqual({ PATH: '/bin', LC_ALL: 'C' });
    expect(buildEnvironment({ ...base, inherited, pristine: true, dotenv: { D: '1' } })).toEqual({ D: '1' });
  });

  it('strips runner credentials from inherited and dotenv layers unless kept; secrets set on purpose stay', () => {
    const inherited = { SECRETRUN_KEY: 'k', SECRETRUN_KEY_FILE: 'f', SECRETRUN_PASSPHRASE: 'p', SECRETRUN_IDENTITY_PASSPHRASE: 'i', VAULT_TOKEN: 't', OK: '1' };
    expect(buildEnvironment({ ...base, inherited })).toEqual({ OK: '1' });
    expect(buildEnvironment({ ...base, inherited, keepCredentials: ['VAULT_TOKEN'] })).toEqual({ OK: '1', VAULT_TOKEN: 't' });
    expect(buildEnvironment({ ...base, inherited: {}, dotenv: { VAULT_TOKEN: 'd' }, secrets: { SECRETRUN_KEY: 's' } })).toEqual({ SECRETRUN_KEY: 's' });
  });

  it('on Windows treats names case-insensitively: credentials in any case go, a layer replaces every spelling, patterns match any case', () => {
    const inherited = { secretrun_key: 'k', Vault_Token: 't', Path: 'C:\\Windows', aws_secret: 'a', OK: '1' };
    const windows = { ...base, caseInsensitive: true };
    expect(buildEnvironment({ ...windows, inherited, deny: ['AWS_*'], dotenv: { PATH: 'D:\\bin' }, secrets: { ok: 'secret' } })).toEqual({ PATH: 'D:\\bin', ok: 'secret' });
    expect(buildEnvironment({ ...windows, inherited, allow: ['path', 'ok'] })).toEqual({ Path: 'C:\\Windows', OK: '1' });
    expect(buildEnvironment({ ...windows, inherited, keepCredentials: ['VAULT_TOKEN'] })).toEqual({ Vault_Token: 't', Path: 'C:\\Windows', aws_secret: 'a', OK: '1' });
    expect(buildEnvironment({ ...windows, inherited: { My_Token: 'x', OTHER: 'y' }, sourceCredentials: ['MY_TOKEN'] })).toEqual({ OTHER: 'y' });
    // POSIX names are case-sensitive: these are other variables there.
    expect(buildEnvironment({ ...base, inherited, dotenv: { PATH: '/bin' } })).toEqual({ secretrun_key: 'k', Vault_Token: 't', Path: 'C:\\Windows', aws_secret: 'a', OK: '1', PATH: '/bin' });
  });

  it('always strips the passphrase of operator rekey, which no command needs', () => {
    const inherited = { SECRETRUN_NEW_PASSPHRASE: 'new', OK: '1' };
    expect(buildEnvironment({ ...base, inherited })).toEqual({ OK: '1' });
    expect(buildEnvironment({ ...base, inherited: {}, dotenv: { SECRETRUN_NEW_PASSPHRASE: 'new' } })).toEqual({});
    expect(buildEnvironment({ ...base, inherited, keepCredentials: ['SECRETRUN_PASSPHRASE', 'SECRETRUN_KEY', 'VAULT_TOKEN', 'SECRETRUN_KEY_FILE'] })).toEqual({ OK: '1' });
  });

  it("strips the remote source's own credentials (token_env, secret_id_env) as well", () => {
    const inherited = { CI_TOKEN: 't', CI_SECRET_ID: 's', CI_ROLE_ID: 'r', OK: '1' };
    expect(buildEnvironment({ ...base, inherited, sourceCredentials: ['CI_TOKEN', 'CI_SECRET_ID'] })).toEqual({ CI_ROLE_ID: 'r', OK: '1' });
    // VAULT_TOKEN named as the source's token variable is still kept when the manifest keeps it.
    expect(buildEnvironment({ ...base, inherited: { VAULT_TOKEN: 't' }, sourceCredentials: ['VAULT_TOKEN'], keepCredentials: ['VAULT_TOKEN'] })).toEqual({ VAULT_TOKEN: 't' });
  });

  it('diffs environments by name', () => {
    expect(diffEnvironments({ A: '1', B: '2', C: '3' }, { A: '1', B: 'x', D: '4' })).toEqual(['B', 'C', 'D']);
  });
});

describe('normalizeEnvName and globs', () => {
  it('upcases and replaces non [A-Z0-9_] with _', () => {
    expect(normalizeEnvName('APP_', 'log-level.v2')).toBe('APP_LOG_LEVEL_V2');
    expect(matchesAnyGlob('LC_ALL', ['LC_*'])).toBe(true);
    expect(matchesAnyGlob('XLC_ALL', ['LC_*'])).toBe(false);
    expect(matchesAnyGlob('A.B', ['A*B'])).toBe(true);
    expect(matchesAnyGlob('AxB', ['A.B'])).toBe(false);
  });
});

describe('renderEnv', () => {
  const tricky = { PLAIN: 'abc', SINGLE: "it's", MULTI: 'l1\nl2', BOTH: `it's "x"\nend`, DOLLAR: '$HOME `x` \\n' };

  it('renders dotenv that dotenv parses back to the same values', () => {
    // BOTH has ' and ": no dotenv quoting holds it without one sh would run (render-env.test.ts).
    const { BOTH, ...writable } = tricky;
    expect(parse(renderEnv(writable, 'dotenv'))).toEqual(writable);
    expect(() => renderEnv({ BOTH }, 'dotenv')).toThrow('cannot write BOTH as dotenv');
  });

  it('renders shell exports that sh evaluates back to the same values', () => {
    const script = `${renderEnv(tricky, 'shell')}node -e 'const n=${JSON.stringify(Object.keys(tricky))};process.stdout.write(JSON.stringify(Object.fromEntries(n.map(k=>[k,process.env[k]]))))'`;
    expect(JSON.parse(execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' }))).toEqual(tricky);
  });

  it('renders sorted JSON', () => {
    expect(renderEnv({ B: '2', A: '1' }, 'json')).toBe('{\n  "A": "1",\n  "B": "2"\n}\n');
  });
});
