import { sortGoStrings } from '../go/string-order.js';
import type { JsonObject } from '../json.js';
import type { AcceptedFields, LogicalResponse } from './logical.js';

// Vault's framework (sdk/framework/backend.go) processes a request's fields that its path does
// not define as if they were absent and, when the path answered with a response, says so in a
// warning naming them sorted: `Endpoint ignored these unrecognized parameters: [a b]`. A nil
// answer (204) and raw answers (the KV 404 with metadata) carry no warning.

// `response` with the warning added when `data` holds fields outside `fields`.
export function addIgnoredParametersWarning(response: LogicalResponse, data: JsonObject, fields: AcceptedFields): LogicalResponse {
  if (fields === 'any' || response.kind === 'raw' || response.kind === 'deferred') return response;
  if (response.kind === 'none' && (response.warnings === undefined || response.warnings.length === 0)) return response;
  const ignored = sortGoStrings(Object.keys(data).filter((name) => !fields.includes(name)));
  if (ignored.length === 0) return response;
  const warning = `Endpoint ignored these unrecognized parameters: [${ignored.join(' ')}]`;
  return { ...response, warnings: [...(response.warnings ?? []), warning] };
}
