import { describe, expect, it } from 'vitest';
import { findPlugin, type PluginInfo } from '../../src/database/plugin-catalog.js';
import type { TemplateEffects } from '../../src/database/template-functions.js';
import { randomBase62 } from '../../src/database/template-functions.js';
import { createUsernameGenerator } from '../../src/database/username-template.js';
import { errorOf } from '../kv/kv-harness.js';

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// Random bytes that make `random N` produce each of `texts` in turn (the first call is the
// trial generation the generator makes when it is created).
function scripted(now: number, ...texts: string[]): TemplateEffects {
  const queue = [...texts];
  return {
    now: () => now,
    randomBytes: (size) => {
      const text = queue.shift() ?? '';
      return Uint8Array.from({ length: size }, (_, i) => (i < text.length ? base62.indexOf(text[i] ?? '0') : 0));
    },
  };
}

const plugin = (name: string): PluginInfo => {
  const found = findPlugin(name);
  if (!found) throw new Error(name);
  return found;
};

describe('default username templates', () => {
  // The examples of Vault's plugin documentation.
  const now = 1614294836_000;
  const random = 'jNFRlKsZZMxJEx60o66i';
  const random2 = 'LUHU9xqm6YNisikA3iCQ';

  it('mysql-database-plugin: v-<display 10>-<role 10>-<random 20>-<unix time>, cut to 32', () => {
    const gen = createUsernameGenerator(undefined, plugin('mysql-database-plugin'), scripted(now, 'x', random, random2));
    expect(gen.generate({ displayName: 'token', roleName: 'myrolename' })).toBe('v-token-myrolename-jNFRlKsZZMxJE');
    expect(gen.generate({ displayName: 'amuchlonger_dispname', roleName: 'role-name-with-dashes' })).toBe('v-amuchlonge-role-name--LUHU9xqm');
  });

  it('the legacy MySQL plugins: 16 characters', () => {
    for (const name of ['mysql-legacy-database-plugin', 'mysql-rds-database-plugin', 'mysql-aurora-database-plugin']) {
      const gen = createUsernameGenerator(undefined, plugin(name), scripted(now, 'x', random, 'b9ODeKsflxxxxxxxxxxx'));
      expect(gen.generate({ displayName: 'token', roleName: 'myrolename' })).toBe('v-myro-jNFRlKsZZ');
      expect(gen.generate({ displayName: 'amuchlonger_dispname', roleName: 'role-name-with-dashes' })).toBe('v-role-b9ODeKsfl');
    }
  });

  it('postgresql-database-plugin: v-<display 8>-<role 8>-<random 20>-<unix time>, cut to 63', () => {
    const gen = createUsernameGenerator(undefined, plugin('postgresql-database-plugin'), scripted(now, 'x', random, random2));
    expect(gen.generate({ displayName: 'token', roleName: 'myrolename' })).toBe('v-token-myrolena-jNFRlKsZZMxJEx60o66i-1614294836');
    expect(gen.generate({ displayName: 'amuchlonger_dispname', roleName: 'role-name-with-dashes' })).toBe('v-amuchlon-role-nam-LUHU9xqm6YNisikA3iCQ-1614294836');
  });

  it('draws random characters from [0-9A-Za-z] with real randomness', () => {
    const gen = createUsernameGenerator(undefined, plugin('postgresql-database-plugin'), {
      now: () => Date.now(),
      randomBytes: (size) => crypto.getRandomValues(new Uint8Array(size)),
    });
    const names = Array.from({ length: 50 }, () => gen.generate({ displayName: 'root', roleName: 'my-role' }));
    for (const name of names) expect(name).toMatch(/^v-root-my-role-[0-9A-Za-z]{20}-\d{10}$/);
    expect(new Set(names).size).toBe(50);
  });
});

describe('custom username templates', () => {
  const effects = scripted(1700000000_123, 'x', 'abc', 'abc', 'abc');

  it('offers the functions of Vault templates', () => {
    const gen = createUsernameGenerator(
      '{{ .RoleName | uppercase | replace "-" "_" }}_{{ .DisplayName | lowercase | truncate 3 }}_{{ unix_time_millis }}_{{ timestamp "20060102" }}_{{ random 3 }}',
      plugin('postgresql-database-plugin'),
      effects,
    );
    expect(gen.generate({ displayName: 'TOKEN', roleName: 'my-role' })).toBe('MY_ROLE_tok_1700000000123_20231114_abc');
  });

  it('replaces text literally, as Go does (no $& patterns)', () => {
    const gen = createUsernameGenerator('{{ .RoleName | replace "-" "$&" }}', plugin('mysql-database-plugin'), effects);
    expect(gen.generate({ displayName: '', roleName: 'a-b' })).toBe('a$&b');
  });

  it('hashes and encodes', () => {
    const gen = createUsernameGenerator('{{ .RoleName | sha256 | truncate 8 }} {{ .RoleName | base64 }} {{ .RoleName | hex }} {{ "cm9sZQ==" | decode_base64 }} {{ .RoleName | truncate_sha256 10 }}', plugin('mysql-database-plugin'), effects);
    expect(gen.generate({ displayName: '', roleName: 'a-very-long-role' })).toBe('0a99aaf8 YS12ZXJ5LWxvbmctcm9sZQ== 612d766572792d6c6f6e672d726f6c65 role a-1233de99');
  });

  it('refuses a template that does not parse, naming the cause', async () => {
    const error = await errorOf(() => createUsernameGenerator('{{ nope }}', plugin('mysql-database-plugin'), effects));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('unable to initialize username template: unable to parse template: template: template:1: function "nope" not defined');
  });

  it('refuses a template that fails when tried, as Vault tries it with empty metadata', async () => {
    const error = await errorOf(() => createUsernameGenerator('{{ .RoleName | truncate 0 }}', plugin('mysql-database-plugin'), effects));
    expect(error.message).toMatch(/^invalid username template: unable to apply template: .*error calling truncate: max length must be > 0 but was 0$/);
  });

  it('refuses a PostgreSQL name over 63 bytes, which PostgreSQL would shorten silently', async () => {
    const gen = createUsernameGenerator('{{ .RoleName }}', plugin('postgresql-database-plugin'), effects);
    expect(gen.generate({ displayName: '', roleName: 'r'.repeat(63) })).toHaveLength(63);
    const error = await errorOf(() => gen.generate({ displayName: '', roleName: 'r'.repeat(64) }));
    expect(error.message).toBe('username_template produced a user name of 64 bytes; postgresql-database-plugin allows at most 63');
    expect(error.hint).toBe('end the template with "| truncate 63"');
  });

  it('refuses an empty name', async () => {
    const gen = createUsernameGenerator('{{ .DisplayName }}', plugin('mysql-database-plugin'), effects);
    expect((await errorOf(() => gen.generate({ displayName: '', roleName: 'x' }))).message).toBe('username_template produced an empty user name');
  });
});

describe('randomBase62', () => {
  it('skips bytes at or above 248 so no character is favoured', () => {
    const bytes = [248, 255, 0, 61, 62, 247];
    expect(randomBase62(4, () => Uint8Array.from(bytes))).toBe('0z0z');
  });
});
