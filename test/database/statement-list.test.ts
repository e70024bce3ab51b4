import { describe, expect, it } from 'vitest';
import { buildTransactionText, parseStatements, renderExpiration, renderQuery, trimBatchEcho } from '../../src/database/statement-list.js';

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

  it('gives a list parsed before the same queries, and tells apart lists whose texts join alike', () => {
    const first = parseStatements([create, grant], 'mysql');
    expect(parseStatements([create, grant], 'mysql')).toEqual(first);
    // Remembered by kind as well: PostgreSQL splits at `;` inside $$ … $$, MySQL does not.
    const body = 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql';
    expect(parseStatements([body], 'postgresql')).toHaveLength(1);
    expect(parseStatements([body], 'mysql')).toHaveLength(2);
    // One entry holding two statements and two entries give the same queries; an entry with a
    // comma in it is not two entries.
    expect(parseStatements([`${create};${grant}`], 'mysql')).toEqual([create, grant]);
    expect(parseStatements(['SELECT 1,2'], 'mysql')).toEqual(['SELECT 1,2']);
    expect(parseStatements(['SELECT 1', '2'], 'mysql')).toEqual(['SELECT 1', '2']);
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

describe('buildTransactionText', () => {
  const queries = ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'", "GRANT SELECT ON app.* TO '{{name}}'@'%' -- read only", 'FLUSH PRIVILEGES'];
  const generated = { name: 'v-root-my-role-AbC123_x-1700000000', password: 'Aa1-bB2-cC3', expiration: '2024-06-30 13:05:09+0000' };
  const create = "CREATE USER 'v-root-my-role-AbC123_x-1700000000'@'%' IDENTIFIED BY 'Aa1-bB2-cC3'";
  const grant = "GRANT SELECT ON app.* TO 'v-root-my-role-AbC123_x-1700000000'@'%' -- read only";

  it('joins BEGIN, the filled-in queries and COMMIT; a line comment is ended before its `;`', () => {
    const batch = buildTransactionText(queries, generated);
    expect(batch?.text).toBe(`BEGIN;${create};${grant}\n;FLUSH PRIVILEGES;COMMIT`);
    expect(batch?.ends.map((end) => batch.text.slice(0, end).split(/;|\n;/).at(-1))).toEqual(['BEGIN', create, grant, 'FLUSH PRIVILEGES', 'COMMIT']);
  });

  it('refuses a value that could end its quotes, its statement or open a comment: those queries go one by one', () => {
    for (const bad of ["o'brien", 'a"b', 'a`b', 'a\\b', 'a;b', 'a#b', 'a/*b', 'a$$b', 'a\nb', 'é']) {
      expect(buildTransactionText(queries, { ...generated, name: bad })).toBeUndefined();
    }
    expect(buildTransactionText(queries, { ...generated, password: 'SCRAM-SHA-256$4096:c2FsdA==$a/b+c=:d' })).toBeUndefined();
  });
});

describe('trimBatchEcho', () => {
  const batch = buildTransactionText(["CREATE USER 'u'@'%' garbage", "GRANT SELECT ON app.* TO 'u'@'%'"], {});
  const syntax = 'You have an error in your SQL syntax; check the manual for the right syntax to use';

  it("cuts MariaDB's echo of the queries after the failing one", () => {
    expect(batch && trimBatchEcho(`${syntax} near 'garbage;GRANT SELECT ON app.* TO 'u'@'%';COMMIT' at line 1`, batch)).toBe(`${syntax} near 'garbage' at line 1`);
  });

  it('leaves other messages, and an echo within the failing query, as they are', () => {
    expect(batch && trimBatchEcho("Table 'app.nope' doesn't exist", batch)).toBe("Table 'app.nope' doesn't exist");
    expect(batch && trimBatchEcho(`${syntax} near 'garb' at line 1`, batch)).toBe(`${syntax} near 'garb' at line 1`);
  });
});
