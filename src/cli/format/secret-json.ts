import { renderGoJson } from './go-json.js';
import { compareGoStrings } from './go-order.js';
import { isJsonObject } from './go-value.js';

// The API response object (Vault's api.Secret) the CLI formats for `-format=json|yaml`.
export interface ApiSecret {
  request_id: string;
  lease_id: string;
  lease_duration: number;
  renewable: boolean;
  data: Readonly<Record<string, unknown>> | null;
  warnings: readonly string[] | null;
  auth?: Readonly<Record<string, unknown>> | null;
  wrap_info?: Readonly<Record<string, unknown>> | null;
  /** Newer Vault only; omitted when empty. */
  mount_type?: string;
}

// Field order of Go's api.SecretAuth and api.SecretWrapInfo structs.
const authFields = [
  'client_token',
  'accessor',
  'policies',
  'token_policies',
  'identity_policies',
  'metadata',
  'orphan',
  'entity_id',
  'lease_duration',
  'renewable',
  'mfa_requirement',
];
const wrapInfoFields = ['token', 'accessor', 'ttl', 'creation_time', 'creation_path', 'wrapped_accessor'];

// The Secret as a Go struct: a Map in api.Secret field order, with `auth`, `wrap_info` and
// `mount_type` left out when empty (their `omitempty` tags).
export function buildSecretStruct(secret: ApiSecret): Map<string, unknown> {
  const struct = new Map<string, unknown>([
    ['request_id', secret.request_id],
    ['lease_id', secret.lease_id],
    ['lease_duration', secret.lease_duration],
    ['renewable', secret.renewable],
    ['data', secret.data],
    ['warnings', secret.warnings],
  ]);
  if (isJsonObject(secret.auth)) struct.set('auth', orderFields(secret.auth, authFields));
  if (isJsonObject(secret.wrap_info)) struct.set('wrap_info', orderFields(secret.wrap_info, wrapInfoFields));
  if (secret.mount_type !== undefined && secret.mount_type !== '') struct.set('mount_type', secret.mount_type);
  return struct;
}

// Known struct fields first in Go order, anything else after them in Go map order.
function orderFields(object: Readonly<Record<string, unknown>>, order: readonly string[]): Map<string, unknown> {
  const struct = new Map<string, unknown>();
  for (const key of order) if (key in object) struct.set(key, object[key]);
  const extra = Object.keys(object).filter((key) => !order.includes(key));
  for (const key of extra.sort(compareGoStrings)) struct.set(key, object[key]);
  return struct;
}

// `-format=json` output of a secret: MarshalIndent with two spaces, no trailing newline.
export function renderSecretJson(secret: ApiSecret): string {
  return renderGoJson(buildSecretStruct(secret));
}
