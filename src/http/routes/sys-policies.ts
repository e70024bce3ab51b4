import { randomUUID } from 'node:crypto';
import { checkPolicyDeletable, checkPolicyWritable, defaultPolicyName, defaultPolicyText, rootPolicyName } from '../../auth/builtin-policies.js';
import { normalizePolicyName } from '../../auth/policy.js';
import { parsePolicy } from '../../auth/policy-parse.js';
import { SecretrunError, invalidRequest } from '../../errors.js';
import { compareGoStrings } from '../../go/string-order.js';
import type { JsonObject } from '../../json.js';
import type { Storage } from '../../store/storage.js';
import { deletePolicyText, listPolicyNames, readPolicyText, writePolicyText } from '../../sys/policies.js';
import { none, type AcceptedFields, type LogicalResponse, type Served } from '../logical.js';
import type { RouteContext } from './route-context.js';

// `sys/policies/acl` and `sys/policies/acl/<name>` (Vault's current ACL policy API), and the
// legacy `sys/policy` and `sys/policy/<name>` with their older shapes (`rules` for `policy`,
// `policies` beside `keys`, data copied to the top level by Vault's HTTPSysInjector). A text
// that does not parse is refused with its position and nothing is stored.

const pathFields = {
  list: [],
  acl: ['name', 'policy'],
  legacy: ['name', 'rules', 'policy'],
} as const satisfies Record<string, AcceptedFields>;

function unsupported(): never {
  throw new SecretrunError('unsupported_operation', 'unsupported operation');
}

// The text of a policy as Vault reports it: `root` has none, `default` is built in until rewritten.
function policyText(storage: Storage, name: string): string | undefined {
  if (name === rootPolicyName) return '';
  return readPolicyText(storage, name) ?? (name === defaultPolicyName ? defaultPolicyText : undefined);
}

// Every policy name, `root` last, as Vault lists them.
function policyNames(storage: Storage): string[] {
  const names = new Set(listPolicyNames(storage));
  names.add(defaultPolicyName);
  return [...[...names].sort(compareGoStrings), rootPolicyName];
}

// Go's base64.StdEncoding.DecodeString succeeds (it skips CR and LF): Vault then takes the
// decoded text as the policy.
function decodeIfBase64(text: string): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return text;
  return Buffer.from(compact, 'base64').toString('utf8');
}

function writePolicy(context: RouteContext, rawName: string, text: unknown): LogicalResponse {
  const name = normalizePolicyName(rawName);
  if (name === '') throw invalidRequest('policy name must be provided in the URL');
  if (typeof text !== 'string' || text === '') throw invalidRequest("'policy' parameter not supplied or empty");
  checkPolicyWritable(name);
  const decoded = decodeIfBase64(text);
  // Parsed before anything is stored: a policy that does not parse leaves the table as it was.
  parsePolicy(name, decoded);
  writePolicyText(context.storage, name, decoded, randomUUID());
  return none;
}

function deletePolicy(context: RouteContext, rawName: string): LogicalResponse {
  const name = normalizePolicyName(rawName);
  checkPolicyDeletable(name);
  deletePolicyText(context.storage, name, randomUUID());
  return none;
}

function readPolicy(context: RouteContext, rawName: string, field: 'policy' | 'rules', legacySys: boolean): LogicalResponse {
  const name = normalizePolicyName(rawName);
  const text = policyText(context.storage, name);
  if (text === undefined) return none;
  const data: JsonObject = field === 'policy' ? { name, policy: text } : { name, rules: text };
  return { kind: 'data', data, legacySys };
}

// `sys/policies/acl[/<name>]`; `rest` is what follows `policies/acl`.
export function routeAclPolicies(rest: string, context: RouteContext): Served {
  const { operation, data } = context.request;
  const name = rest.replace(/^\/+/, '');
  if (name === '') {
    if (operation !== 'list') return unsupported();
    return { response: { kind: 'data', data: { keys: policyNames(context.storage) } }, fields: pathFields.list };
  }
  const served = (response: LogicalResponse): Served => ({ response, fields: pathFields.acl });
  if (operation === 'read') return served(readPolicy(context, name, 'policy', false));
  if (operation === 'update' || operation === 'create') return served(writePolicy(context, name, data['policy']));
  if (operation === 'delete') return served(deletePolicy(context, name));
  return unsupported();
}

// The legacy `sys/policy[/<name>]`; `rest` is what follows `policy`.
export function routeLegacyPolicies(rest: string, context: RouteContext): Served {
  const { operation, data } = context.request;
  const name = rest.replace(/^\/+/, '');
  if (name === '') {
    if (operation !== 'read' && operation !== 'list') return unsupported();
    const keys = policyNames(context.storage);
    return { response: { kind: 'data', data: { keys, policies: keys }, legacySys: true }, fields: pathFields.list };
  }
  const served = (response: LogicalResponse): Served => ({ response, fields: pathFields.legacy });
  if (operation === 'read') return served(readPolicy(context, name, 'rules', true));
  if (operation === 'update' || operation === 'create') {
    const usesRules = (data['policy'] === undefined || data['policy'] === '') && data['rules'] !== undefined;
    const written = writePolicy(context, name, usesRules ? data['rules'] : data['policy']);
    return served(usesRules ? { kind: 'none', warnings: ["'rules' is deprecated, please use 'policy' instead"] } : written);
  }
  if (operation === 'delete') return served(deletePolicy(context, name));
  return unsupported();
}
