import { goStruct } from '../go/json.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { ApiResponse } from './api-client.js';
import type { CommandContext } from './command.js';
import { renderFieldOutput } from './format/field-output.js';
import type { ApiSecret } from './format/secret-json.js';
import { renderSecretTable } from './format/secret-table.js';
import { printWarnings, renderSecret } from './secret-output.js';

// How the token commands and `login` print what the server answered: Vault's OutputSecret
// (table, json or yaml) and PrintRawField (`-field`), where the token rows of an `auth` block
// are fields too (`-field=token`).

// An `auth` block as Go's api.SecretAuth holds it: its fields in its order, missing ones as Go's
// zero values (a nil list is null), anything else (`token_type`, `num_uses`) dropped — what the
// vault CLI prints with -format=json after decoding the response into that struct.
export function buildSecretAuth(auth: Readonly<Record<string, unknown>>): JsonObject {
  const list = (value: unknown): JsonValue => (Array.isArray(value) ? (value as JsonValue[]) : null);
  return goStruct({
    client_token: String(auth['client_token'] ?? ''),
    accessor: String(auth['accessor'] ?? ''),
    policies: list(auth['policies']),
    token_policies: list(auth['token_policies']),
    identity_policies: list(auth['identity_policies']),
    metadata: isJsonObject(auth['metadata']) ? (auth['metadata'] as JsonObject) : null,
    orphan: auth['orphan'] === true,
    entity_id: String(auth['entity_id'] ?? ''),
    lease_duration: Number(auth['lease_duration'] ?? 0),
    renewable: auth['renewable'] === true,
    mfa_requirement: isJsonObject(auth['mfa_requirement']) ? (auth['mfa_requirement'] as JsonObject) : null,
  });
}

// The secret a successful response carries, auth included (Vault's api.ParseSecret); undefined
// for an empty body.
export function parseApiSecret(response: ApiResponse): ApiSecret | undefined {
  const body = response.json;
  if (body === undefined) return undefined;
  const secret: ApiSecret = {
    request_id: String(body['request_id'] ?? ''),
    lease_id: String(body['lease_id'] ?? ''),
    lease_duration: Number(body['lease_duration'] ?? 0),
    renewable: body['renewable'] === true,
    data: isJsonObject(body['data']) ? (body['data'] as JsonObject) : null,
    warnings: Array.isArray(body['warnings']) ? body['warnings'].map(String) : null,
  };
  if (isJsonObject(body['auth'])) secret.auth = buildSecretAuth(body['auth']);
  if (isJsonObject(body['wrap_info'])) secret.wrap_info = body['wrap_info'] as JsonObject;
  if (typeof body['mount_type'] === 'string') secret.mount_type = body['mount_type'];
  return secret;
}

// Vault's RawSecretField: with an `auth` block, its token rows by their table names; otherwise
// the lease fields; else a data key.
export function rawSecretField(secret: ApiSecret, field: string): unknown {
  const auth = secret.auth;
  if (auth) {
    const fromAuth: Record<string, string> = {
      token: 'client_token',
      token_accessor: 'accessor',
      token_duration: 'lease_duration',
      token_renewable: 'renewable',
      token_policies: 'token_policies',
      identity_policies: 'identity_policies',
      policies: 'policies',
    };
    const key = fromAuth[field];
    // A missing list is Go's nil slice: present, printed as [].
    if (key !== undefined) return auth[key] ?? (key.endsWith('policies') ? [] : undefined);
    return secret.data?.[field];
  }
  const fromLease: Record<string, unknown> = {
    lease_duration: secret.lease_duration,
    lease_id: secret.lease_id,
    request_id: secret.request_id,
    renewable: secret.renewable,
    refresh_interval: secret.lease_duration,
  };
  if (field in fromLease) return fromLease[field];
  if (field === 'data') return secret.data?.['data'] ?? secret.data;
  return secret.data?.[field];
}

// Prints a secret as the vault CLI does: one field, json or yaml, or the Key/Value table with
// warnings on stderr. Returns the exit code (a missing field throws, exit 1).
export async function printApiSecret(context: CommandContext, secret: ApiSecret, field: string): Promise<number> {
  const { io, global } = context;
  if (field !== '') {
    const value = rawSecretField(secret, field);
    const text = await renderFieldOutput(field, value, global.format, io.stdout.isTTY);
    if (global.format === 'table') printWarnings(io, secret);
    io.stdout.write(text);
    return 0;
  }
  if (global.format !== 'table') {
    io.stdout.write(await renderSecret(secret, global.format));
    return 0;
  }
  printWarnings(io, secret);
  const table = renderSecretTable(secret);
  if (table !== '') io.stdout.write(`${table}\n`);
  return 0;
}
