import { describe, expect, it } from 'vitest';
import { splitSql } from '../../src/database/sql-split.js';

describe('splitSql', () => {
  it("splits on semicolons like Vault's strings.Split, trimmed and without empty pieces", () => {
    const text = `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';\n  GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";;\n`;
    expect(splitSql(text, 'postgresql')).toEqual([
      `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'`,
      'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}"',
    ]);
  });

  it('keeps semicolons inside string literals and quoted identifiers', () => {
    expect(splitSql(`COMMENT ON ROLE x IS 'a;b ''c;'' d'; SELECT "we;ird"`, 'postgresql')).toEqual([`COMMENT ON ROLE x IS 'a;b ''c;'' d'`, 'SELECT "we;ird"']);
    expect(splitSql(`SELECT 'a\\';b'; SELECT \`x;y\`, "q;\\"r"`, 'mysql')).toEqual([`SELECT 'a\\';b'`, 'SELECT `x;y`, "q;\\"r"']);
  });

  it("follows PostgreSQL's escape strings: a backslash escapes only in E'…'", () => {
    expect(splitSql(`SELECT E'a\\';b'; SELECT 'c\\'; SELECT 1`, 'postgresql')).toEqual([`SELECT E'a\\';b'`, `SELECT 'c\\'`, 'SELECT 1']);
  });

  it('keeps dollar-quoted function bodies whole', () => {
    const body = `DO $$ BEGIN EXECUTE 'GRANT SELECT ON t TO "{{name}}"'; END $$`;
    const tagged = `CREATE FUNCTION f() RETURNS int AS $fn$ BEGIN RETURN 1; END; $fn$ LANGUAGE plpgsql`;
    expect(splitSql(`${body}; ${tagged}; SELECT $1`, 'postgresql')).toEqual([body, tagged, 'SELECT $1']);
  });

  it('drops pieces made only of comments, and ignores semicolons inside comments', () => {
    expect(splitSql('-- a comment; still comment\nSELECT 1; /* x; y */ ; # not a comment in pg', 'postgresql')).toEqual([
      '-- a comment; still comment\nSELECT 1',
      '# not a comment in pg',
    ]);
    expect(splitSql('# note; here\nSELECT 1; -- bye', 'mysql')).toEqual(['# note; here\nSELECT 1']);
    expect(splitSql('/* a /* nested; */ still; */ SELECT 2', 'postgresql')).toEqual(['/* a /* nested; */ still; */ SELECT 2']);
  });
});
