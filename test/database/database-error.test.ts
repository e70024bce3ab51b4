import { describe, expect, it } from 'vitest';
import { connectionError, renderDriverReason, sanitizeMessage, statementError } from '../../src/database/database-error.js';

const context = { plugin: 'mysql-database-plugin', connection: '127.0.0.1:3306/app', secrets: ['r00t-pw', undefined, 'n3w pw/x'] };

describe('database errors', () => {
  it('name the plugin and the connection on one line, with a hint', () => {
    const error = connectionError(context, Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }));
    expect(error.code).toBe('database');
    expect(error.message).toBe('mysql-database-plugin cannot connect to 127.0.0.1:3306/app: connect ECONNREFUSED 127.0.0.1:3306');
    expect(error.hint).toMatch(/check that the database is running/);
    expect(error.cause).toBeUndefined();
  });

  it('replace every password the operation handled, plain or URL-encoded, and fold lines', () => {
    const reason = new Error("You have an error near 'IDENTIFIED BY 'r00t-pw''\nat line 1; also n3w%20pw%2Fx and n3w pw/x");
    const error = statementError(context, 'failed to execute query', reason);
    expect(error.message).toBe("mysql-database-plugin at 127.0.0.1:3306/app: failed to execute query: You have an error near 'IDENTIFIED BY '[password]'' at line 1; also [password] and [password]");
  });

  it("render Node's empty AggregateError (a name with several addresses) from its parts", () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    expect(renderDriverReason(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')], ''))).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
    expect(renderDriverReason(Object.assign(new Error(''), { code: 'ETIMEDOUT' }))).toBe('ETIMEDOUT');
    expect(sanitizeMessage('  a\n  b  ', [])).toBe('a b');
  });
});
