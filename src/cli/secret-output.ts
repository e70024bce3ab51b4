import type { JsonObject } from '../json.js';
import type { ApiResponse } from './api-client.js';
import type { OutputFormat } from './global-flags.js';
import type { CliIo } from './io.js';
import { renderKeyValueTable } from './format/key-value-table.js';
import { renderMapHeader } from './format/headers.js';
import { renderGoJsonIndented } from '../go/json.js';
import { renderSecretJson, type ApiSecret } from './format/secret-json.js';
import { renderWarnings } from './format/warnings.js';
import { isJsonObject } from '../json.js';

// The API secret a response body carries (Vault's api.Secret), or undefined when the body has
// neither data nor warnings — the Go client's rule for "nothing there" on a 404.
export function secretOf(response: ApiResponse): ApiSecret | undefined {
  const body = response.json;
  if (body === undefined) return undefined;
  const data = body['data'];
  const warnings = body['warnings'];
  if ((data === undefined || data === null) && !(Array.isArray(warnings) && warnings.length > 0)) return undefined;
  const secret: ApiSecret = {
    request_id: String(body['request_id'] ?? ''),
    lease_id: String(body['lease_id'] ?? ''),
    lease_duration: Number(body['lease_duration'] ?? 0),
    renewable: body['renewable'] === true,
    data: isJsonObject(data) ? (data as JsonObject) : null,
    warnings: Array.isArray(warnings) ? warnings.map(String) : null,
  };
  if (isJsonObject(body['auth'])) secret.auth = body['auth'] as JsonObject;
  if (isJsonObject(body['wrap_info'])) secret.wrap_info = body['wrap_info'] as JsonObject;
  if (typeof body['mount_type'] === 'string') secret.mount_type = body['mount_type'];
  return secret;
}

// `-format=json|yaml` output of a whole secret (Vault's OutputSecret for those formats).
// YAML's library loads only when asked for.
export async function renderSecret(secret: ApiSecret, format: Exclude<OutputFormat, 'table'>): Promise<string> {
  return `${format === 'json' ? renderSecretJson(secret) : (await import('./format/secret-yaml.js')).renderSecretYaml(secret)}\n`;
}

// A plain value (a list, the mounts map) as `-format=json|yaml` prints it.
export async function renderValue(value: unknown, format: Exclude<OutputFormat, 'table'>): Promise<string> {
  return `${format === 'json' ? renderGoJsonIndented(value) : (await import('./format/go-yaml.js')).renderGoYaml(value).trim()}\n`;
}

// A titled Key/Value table (`====== Data ======` then the table), as kv commands print maps.
export function renderSection(title: string, data: Readonly<Record<string, unknown>>): string {
  const table = renderKeyValueTable(data);
  return `${renderMapHeader(title, data)}\n${table === '' ? '' : `${table}\n`}`;
}

// Warnings of a table-format response go to stderr, like Vault's.
export function printWarnings(io: CliIo, secret: ApiSecret | undefined): void {
  const text = renderWarnings(secret?.warnings);
  if (text !== '') io.stderr.write(text);
}
