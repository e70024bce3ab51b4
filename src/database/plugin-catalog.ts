// The builtin database plugins secretrun knows, as Vault registers them: the MySQL family (one
// plugin with two default username templates, for servers before and after MySQL 5.7's
// 32-character user names) and PostgreSQL.

// Which driver and SQL dialect a plugin speaks.
export type DatabaseKind = 'mysql' | 'postgresql';

// What a plugin name stands for.
export interface PluginInfo {
  name: string;
  kind: DatabaseKind;
  /** The username template used when the connection gives none. */
  defaultUsernameTemplate: string;
  /**
   * The longest user name the database keeps intact, when it would otherwise shorten a longer
   * one silently (PostgreSQL truncates identifiers to 63 bytes); MySQL refuses a long name with an
   * error of its own, so it needs no check here.
   */
  maxUsernameBytes: number | undefined;
}

const mysqlTemplate = '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 10) (.RoleName | truncate 10) (random 20) (unix_time) | truncate 32 }}';
const mysqlLegacyTemplate = '{{ printf "v-%s-%s-%s" (.RoleName | truncate 4) (random 20) | truncate 16 }}';
const postgresqlTemplate = '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) (random 20) (unix_time) | truncate 63 }}';

const mysql = (name: string, template: string): PluginInfo => ({ name, kind: 'mysql', defaultUsernameTemplate: template, maxUsernameBytes: undefined });

const plugins: readonly PluginInfo[] = [
  mysql('mysql-database-plugin', mysqlTemplate),
  mysql('mysql-aurora-database-plugin', mysqlLegacyTemplate),
  mysql('mysql-rds-database-plugin', mysqlLegacyTemplate),
  mysql('mysql-legacy-database-plugin', mysqlLegacyTemplate),
  { name: 'postgresql-database-plugin', kind: 'postgresql', defaultUsernameTemplate: postgresqlTemplate, maxUsernameBytes: 63 },
];

// The plugin of that name, or undefined when secretrun has no such builtin plugin.
export function findPlugin(name: string): PluginInfo | undefined {
  return plugins.find((plugin) => plugin.name === name);
}

// Every builtin plugin name, for error hints and listings.
export function pluginNames(): string[] {
  return plugins.map((plugin) => plugin.name);
}
