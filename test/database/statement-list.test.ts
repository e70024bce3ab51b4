import { describe, expect, it } from 'vitest';
import { parseStatements, renderExpiration, renderQuery } from '../../src/database/statement-list.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('parseStatements', () => {
  const create = "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'";
  const grant = "GRANT SELECT ON *.* TO '{{name}}'@'%'";

  it('takes every form Vault documents: SQL, base64 SQL, a JSON array, base64 JSON', () => {
    const expected = [create, grant];
    expect(parseStatements([`${create}; ${grant};`], 'mysql')).toEqual(expected);
    expect(parseStatements([b64(`${create}; ${grant};`)], 'mysql')).toEqual(expected);
    expect(parseStatements([JSON.stringify([create, grant])], 'mysql')).toEqual(expected);
    expect(parseStatements([b64(JSON.stringify([create, grant]))], 'mysql')).toEqual(expected);
    expect(parseStatements([create, '', '  ', grant], 'mysql')).toEqual(expected);
  });

  it('leaves SQL that merely looks like base64 alone (a lone ROLLBACK)', () => {
    expect(parseStatements(['ROLLBACK'], 'postgresql')).toEqual(['ROLLBACK']);
  });
});

describe('renderQuery', () => {
  it('fills placeholders by plain replacement, leaving unknown ones as written', () => {
    expect(renderQuery(`ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}' -- {{other}}`, { name: 'v-x', expiration: '2024-01-01 00:00:00+0000' })).toBe(
      `ALTER ROLE "v-x" VALID UNTIL '2024-01-01 00:00:00+0000' -- {{other}}`,
    );
    expect(renderQuery('{{username}}/{{password}}/{{username}}', { username: 'u', password: 'p$&' })).toBe('u/p$&/u');
  });

  it("writes {{expiration}} in Vault's layout, in UTC", () => {
    expect(renderExpiration(Date.UTC(2024, 5, 30, 13, 5, 9, 500))).toBe('2024-06-30 13:05:09+0000');
  });
});
