import { describe, expect, it } from 'vitest';
import { buildMysqlOptions, parseMysqlDsn, redactMysqlDsn } from '../../src/database/mysql-dsn.js';
import { errorOf } from '../kv/kv-harness.js';

describe('parseMysqlDsn', () => {
  it("reads the guide's DSN and the templated form", () => {
    expect(parseMysqlDsn('root:password@tcp(localhost:3306)/')).toEqual({
      user: 'root',
      password: 'password',
      network: 'tcp',
      address: 'localhost:3306',
      database: '',
      params: new Map(),
    });
    expect(parseMysqlDsn('{{username}}:{{password}}@tcp(127.0.0.1:3306)/app?tls=skip-verify')).toMatchObject({
      user: '{{username}}',
      password: '{{password}}',
      address: '127.0.0.1:3306',
      database: 'app',
      params: new Map([['tls', 'skip-verify']]),
    });
  });

  it('splits credentials as the Go driver does: last @ before the last /, first :', () => {
    expect(parseMysqlDsn('app:p@ss:w/rd@tcp(db:3307)/x')).toMatchObject({ user: 'app', password: 'p@ss:w/rd', address: 'db:3307', database: 'x' });
    expect(parseMysqlDsn('app@tcp(db)/')).toMatchObject({ user: 'app', password: undefined, address: 'db:3306' });
  });

  it('defaults the network and address, and reads unix sockets', () => {
    expect(parseMysqlDsn('/')).toMatchObject({ user: '', network: 'tcp', address: '127.0.0.1:3306' });
    expect(parseMysqlDsn('u:p@unix(/run/mysqld/mysqld.sock)/db')).toMatchObject({ network: 'unix', address: '/run/mysqld/mysqld.sock', database: 'db' });
    expect(parseMysqlDsn('u@tcp([::1])/')).toMatchObject({ address: '[::1]:3306' });
  });

  it('refuses malformed DSNs without quoting them (they may hold a password)', async () => {
    for (const [dsn, reason] of [
      ['root:hunter2-secret@tcp(localhost:3306)', 'missing the slash separating the database name'],
      ['root:hunter2-secret@tcp(localhost:3306/', 'network address not terminated (missing closing brace)'],
      ['root:hunter2-secret@udp(localhost)/', 'unsupported network "udp": use tcp(host:port) or unix(/path/to/socket)'],
      ['root:hunter2-secret@tcp(h)/db?x', 'invalid DSN parameter "x": expected key=value'],
    ] as const) {
      const error = await errorOf(() => parseMysqlDsn(dsn));
      expect(error.message).toBe(`connection_url: invalid DSN: ${reason}`);
      expect(`${error.message} ${error.hint}`).not.toContain('hunter2');
    }
  });
});

describe('redactMysqlDsn', () => {
  it('hides a literal password and keeps a template', () => {
    expect(redactMysqlDsn('root:password@tcp(localhost:3306)/')).toBe('root:xxxxx@tcp(localhost:3306)/');
    expect(redactMysqlDsn('app:p@ss:w/rd@tcp(db:3307)/x')).toBe('app:xxxxx@tcp(db:3307)/x');
    expect(redactMysqlDsn('{{username}}:{{password}}@tcp(db:3306)/')).toBe('{{username}}:{{password}}@tcp(db:3306)/');
    expect(redactMysqlDsn('root@tcp(db:3306)/')).toBe('root@tcp(db:3306)/');
  });
});

describe('buildMysqlOptions', () => {
  it('honours tls, timeouts and charset; keeps other names as session variables', () => {
    const options = buildMysqlOptions(parseMysqlDsn("u@tcp(h)/?tls=true&timeout=2s&readTimeout=30s&charset=utf8mb4,utf8&parseTime=true&sql_mode=%27ANSI_QUOTES%27").params);
    expect(options).toEqual({ tls: 'verify', connectTimeoutMs: 2000, queryTimeoutMs: 30000, charset: 'utf8mb4', sessionVariables: new Map([['sql_mode', "'ANSI_QUOTES'"]]) });
    expect(buildMysqlOptions(new Map([['tls', 'skip-verify']])).tls).toBe('skip-verify');
  });

  it('refuses what it cannot honour', async () => {
    expect((await errorOf(() => buildMysqlOptions(new Map([['tls', 'preferred']])))).message).toBe(
      'connection_url: invalid DSN: tls=preferred is not supported: use tls=true, tls=skip-verify or tls=false',
    );
    expect((await errorOf(() => buildMysqlOptions(new Map([['timeout', '5']])))).message).toBe('connection_url: invalid DSN: parameter timeout: time: missing unit in duration "5"');
    expect((await errorOf(() => buildMysqlOptions(new Map([['a;b', '1']])))).message).toMatch(/is not a system variable/);
  });
});
