import { goStruct, renderGoJsonIndented } from '../../go/json.js';
import { compareGoStrings } from '../../go/string-order.js';
import { isJsonObject } from '../../json.js';

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

// The Secret as a Go struct (goStruct) in api.Secret field order, with `auth`, `wrap_info` and
// `mount_type` left out when empty (their `omitempty` tags).
export function buildSecretStruct(secret: ApiSecret): Record<string, unknown> {
  const struct: Record<string, unknown> = {
    request_id: secret.request_id,
    lease_id: secret.lease_id,
    lease_duration: secret.lease_duration,
    renewable: secret.renewable,
    data: secret.data,
    warnings: secret.warnings,
  };
  if (isJsonObject(secret.auth)) struct['auth'] = orderFields(secret.auth, authFields);
  if (isJsonObject(secret.wrap_info)) struct['wrap_info'] = orderFields(secret.wrap_info, wrapInfoFields);
  if (secret.mount_type !== undefined && secret.mount_type !== '') struct['mount_type'] = secret.mount_type;
  return goStruct(struct);
}

// Known struct fields first in Go order, anything else after them in Go map order.
function orderFields(object: Readonly<Record<string, unknown>>, order: readonly string[]): Record<string, unknown> {
  const struct: Record<string, unknown> = {};
  for (const key of order) if (key in object) struct[key] = object[key];
  const extra = Object.keys(object).filter((key) => !order.includes(key));
  for (const key of extra.sort(compareGoStrings)) struct[key] = object[key];
  return goStruct(struct);
}

// `-format=json` output of a secret: MarshalIndent with two spaces, no trailing newline.
export function renderSecretJson(secret: ApiSecret): string {
  return renderGoJsonIndented(buildSecretStruct(secret));
}
