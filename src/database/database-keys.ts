// Where a database mount keeps what people decide (committed store): connections, roles and
// static roles under `database/<mount uuid>/`, so disabling the mount deletes them all.

// Everything a database mount owns in the committed store.
export function databaseMountPrefix(uuid: string): string {
  return `database/${uuid}/`;
}

// A connection configuration (`config/<name>`).
export function connectionKey(uuid: string, name: string): string {
  return `${databaseMountPrefix(uuid)}config/${name}`;
}

// A dynamic role (`roles/<name>`).
export function roleKey(uuid: string, name: string): string {
  return `${databaseMountPrefix(uuid)}role/${name}`;
}

// A static role (`static-roles/<name>`).
export function staticRoleKey(uuid: string, name: string): string {
  return `${databaseMountPrefix(uuid)}static-role/${name}`;
}

// The prefix a listing of each family reads.
export function familyPrefix(uuid: string, family: 'config' | 'role' | 'static-role'): string {
  return `${databaseMountPrefix(uuid)}${family}/`;
}
