import { describe, expect, it } from 'vitest';
import { parsePostgresDsn, redactPostgresDsn } from '../../src/database/postgresql-dsn.js';
import { errorOf } from '../kv/kv-harness.js';

describe('parsePostgresDsn', () => {
  it('reads the URI form, templated or literal, percent-decoding each part', () => {
    expect(parsePostgresDsn('postgresql://{{username}}:{{password}}@localhost:5432/postgres?sslmode=disable')).toEqual({
      user: '{{username}}',
      password: '{{password}}',
      host: 'localhost',
      port: '5432',
      database: 'postgres',
      params: new Map([['sslmode', 'disable']]),
    });
    expect(parsePostgresDsn('postgres://app:p%40ss%3Aw@db.internal/app%20db')).toMatchObject({ user: 'app', password: 'p@ss:w', host: 'db.internal', port: undefined, database: 'app db' });
    expect(parsePostgresDsn('postgresql://u@[::1]:6432')).toMatchObject({ host: '::1', port: '6432', database: undefined });
    expect(parsePostgresDsn('postgresql://u@%2Fvar%2Frun%2Fpostgresql/db')).toMatchObject({ host: '/var/run/postgresql' });
  });

  it('reads the keyword/value form, quoted values included', () => {
    expect(parsePostgresDsn("host=localhost port=5432 user={{username}} password='it\\'s \\'quoted\\' a b' dbname=postgres connect_timeout=3")).toEqual({
      user: '{{username}}',
      password: "it's 'quoted' a b",
      host: 'localhost',
      port: '5432',
      database: 'postgres',
      params: new Map([['connect_timeout', '3']]),
    });
  });

  it('refuses what it cannot use, without quoting the string', async () => {
    for (const [dsn, reason] of [
      ['postgresql://u:s3cret-pw@h1:5432,h2:5432/db', 'several hosts are not supported: name one host'],
      ['host=h1,h2 password=s3cret-pw', 'several hosts are not supported: name one host'],
      ['postgresql://u:s3cret-pw@h:port/db', 'the port is not a number'],
      ['mysql://u:s3cret-pw@h/db', 'the scheme must be postgresql:// or postgres://'],
      ["host=h password='s3cret-pw", 'unterminated quoted value for "password"'],
      ['host h password=s3cret-pw', 'missing "=" after "host"'],
    ] as const) {
      const error = await errorOf(() => parsePostgresDsn(dsn));
      expect(error.message).toBe(`connection_url: ${reason}`);
      expect(`${error.message} ${error.hint}`).not.toContain('s3cret');
    }
  });
});

describe('redactPostgresDsn', () => {
  it('hides a literal password in either form and keeps templates', () => {
    expect(redactPostgresDsn('postgresql://app:s3cret@db:5432/app?sslmode=require')).toBe('postgresql://app:xxxxx@db:5432/app?sslmode=require');
    expect(redactPostgresDsn('postgresql://{{username}}:{{password}}@db:5432/app')).toBe('postgresql://{{username}}:{{password}}@db:5432/app');
    expect(redactPostgresDsn('postgresql://app@db/app')).toBe('postgresql://app@db/app');
    expect(redactPostgresDsn("host=db user=app password='s 3cret' dbname=app")).toBe('host=db user=app password=xxxxx dbname=app');
    expect(redactPostgresDsn('host=db password=s3cret')).toBe('host=db password=xxxxx');
    expect(redactPostgresDsn('host=db password={{password}}')).toBe('host=db password={{password}}');
  });
});
