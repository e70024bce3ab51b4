// What each plugin runs when a role or connection gives no statements of a kind, as Vault's
// builtin plugins do. Creation has no default: a role without creation statements is refused.

// MySQL: revoke everything, then drop the user (run only when the user exists).
export const mysqlDefaultRevocation = "REVOKE ALL PRIVILEGES, GRANT OPTION FROM '{{name}}'@'%'; DROP USER '{{name}}'@'%'";

// MySQL: the password change of a static role's user and of the connection's own user.
export const mysqlDefaultRotation = "ALTER USER '{{username}}'@'%' IDENTIFIED BY '{{password}}'";

// PostgreSQL: a renewal moves the role's expiry.
export const postgresqlDefaultRenewal = `ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}'`;

// PostgreSQL: the password change of a static role's user and of the connection's own user.
export const postgresqlDefaultRotation = `ALTER ROLE "{{username}}" WITH PASSWORD '{{password}}'`;

// pq.QuoteIdentifier: a double-quoted identifier, inner quotes doubled, cut at a NUL byte.
export function quotePostgresIdentifier(name: string): string {
  const cut = name.includes('\0') ? name.slice(0, name.indexOf('\0')) : name;
  return `"${cut.replaceAll('"', '""')}"`;
}

// PostgreSQL's default revocation, given the schemas where the user holds column grants and the
// current database: revoke table, sequence, schema and connect privileges (each on its own, so
// one failure does not keep the others), then drop the role.
export function buildPostgresRevocation(username: string, schemas: readonly string[], database: string | undefined): { revokes: string[]; drop: string } {
  const user = quotePostgresIdentifier(username);
  const revokes: string[] = [];
  for (const schema of schemas) {
    revokes.push(`REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA ${quotePostgresIdentifier(schema)} FROM ${user};`);
    revokes.push(`REVOKE USAGE ON SCHEMA ${quotePostgresIdentifier(schema)} FROM ${user};`);
  }
  revokes.push(`REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM ${user};`);
  revokes.push(`REVOKE ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public FROM ${user};`);
  revokes.push(`REVOKE USAGE ON SCHEMA public FROM ${user};`);
  if (database !== undefined) revokes.push(`REVOKE CONNECT ON DATABASE ${quotePostgresIdentifier(database)} FROM ${user};`);
  return { revokes, drop: `DROP ROLE IF EXISTS ${user};` };
}
