import { invalidRequest } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { decodeSeconds, decodeString, decodeStringSlice, pick } from './role-fields.js';

// A dynamic role (`database/roles/<name>`): the connection it uses, the statements that create,
// revoke, renew and roll back its users, and the TTLs of their leases (seconds; 0 = the mount's).

// The stored role.
export interface DatabaseRole {
  db_name: string;
  creation_statements: string[];
  revocation_statements: string[];
  rollback_statements: string[];
  renew_statements: string[];
  default_ttl: number;
  max_ttl: number;
  credential_type: 'password';
}

// The role a write makes of the request and the current role (undefined: a create).
export function buildDatabaseRole(current: DatabaseRole | undefined, input: JsonObject): DatabaseRole {
  const role: DatabaseRole = {
    db_name: pick(input, 'db_name', current?.db_name, decodeString, ''),
    creation_statements: pick(input, 'creation_statements', current?.creation_statements, decodeStringSlice, []),
    revocation_statements: pick(input, 'revocation_statements', current?.revocation_statements, decodeStringSlice, []).filter((s) => s !== ''),
    rollback_statements: pick(input, 'rollback_statements', current?.rollback_statements, decodeStringSlice, []),
    renew_statements: pick(input, 'renew_statements', current?.renew_statements, decodeStringSlice, []),
    default_ttl: pick(input, 'default_ttl', current?.default_ttl, decodeSeconds, 0),
    max_ttl: pick(input, 'max_ttl', current?.max_ttl, decodeSeconds, 0),
    credential_type: checkCredentialType(input['credential_type']),
  };
  if (role.db_name === '') throw invalidRequest('database name is required');
  if (role.max_ttl > 0 && role.default_ttl > role.max_ttl) throw invalidRequest('ttl cannot be greater than max_ttl');
  return role;
}

// Only passwords: Vault's rsa_private_key and client_certificate types are not supported.
export function checkCredentialType(value: unknown): 'password' {
  if (value === undefined || value === null || value === '' || value === 'password') return 'password';
  throw invalidRequest(`invalid credential_type ${JSON.stringify(String(value))}: secretrun supports "password" only`);
}

// A stored role, or undefined.
export function parseDatabaseRole(value: JsonValue | undefined): DatabaseRole | undefined {
  return isJsonObject(value) && typeof value['db_name'] === 'string' && Array.isArray(value['creation_statements']) ? (value as unknown as DatabaseRole) : undefined;
}

// What `read database/roles/<name>` shows.
export function renderDatabaseRole(role: DatabaseRole): JsonObject {
  return {
    creation_statements: role.creation_statements,
    credential_type: role.credential_type,
    db_name: role.db_name,
    default_ttl: role.default_ttl,
    max_ttl: role.max_ttl,
    renew_statements: role.renew_statements,
    revocation_statements: role.revocation_statements,
    rollback_statements: role.rollback_statements,
  };
}
