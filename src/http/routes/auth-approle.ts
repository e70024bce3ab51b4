import {
  applyRoleWrite,
  deleteRole,
  deleteSecretId,
  deleteSecretIdByAccessor,
  emptyRole,
  findRoleById,
  findSecretId,
  findSecretIdByAccessor,
  isSecretIdExpired,
  listRoles,
  listSecretIdAccessors,
  normalizeRoleName,
  readRole,
  renderRole,
  renderSecretId,
  roleFields,
  spendSecretId,
  writeRole,
  writeSecretId,
  type RoleEntry,
  type SecretIdEntry,
} from '../../auth/approle.js';
import { addressInCidrs, cidrsWithin, parseCidrList } from '../../auth/bound-cidrs.js';
import { buildLoginToken, issueLoginToken } from '../../auth/login-token.js';
import type { RandomBytes } from '../../auth/token-id.js';
import { decodeCommaList, tokenFieldNames } from '../../auth/token-params.js';
import { renderAuthBlock } from '../../auth/token-render.js';
import { SecretrunError, invalidRequest } from '../../errors.js';
import { isJsonObject, type JsonObject } from '../../json.js';
import { decodeDurationSeconds, decodeInt, given } from '../../kv/field-decode.js';
import type { Storage } from '../../store/storage.js';
import type { AuthMethod, AuthMethodMatch } from '../../sys/auth-methods.js';
import { buildUuid } from '../../sys/mounts.js';
import { dataResponse, none, type AcceptedFields, type LogicalResponse, type Served } from '../logical.js';
import type { RouteContext } from './route-context.js';

// The AppRole method's API under `auth/<path>/`: roles (`role`, `role/<name>`), their role-id,
// secret-ids (generate, custom, list, lookup and destroy, also by accessor) and `login` with
// role_id and secret_id. Login runs inside the request's transaction (it hashes nothing slow),
// so a secret-id's use is spent atomically with the token it pays for.

const secretIdFields = ['role_name', 'metadata', 'cidr_list', 'token_bound_cidrs', 'num_uses', 'ttl'] as const;
const pathFields = {
  list: [],
  role: [...roleFields, ...tokenFieldNames],
  roleId: ['role_name', 'role_id'],
  secretId: secretIdFields,
  customSecretId: [...secretIdFields, 'secret_id'],
  bySecretId: ['role_name', 'secret_id'],
  byAccessor: ['role_name', 'secret_id_accessor'],
  login: ['role_id', 'secret_id'],
} as const satisfies Record<string, AcceptedFields>;

function noRoute(path: string): never {
  throw new SecretrunError('unsupported_path', `no handler for route "${path}". route entry not found.`);
}

function unsupported(): never {
  throw new SecretrunError('unsupported_operation', 'unsupported operation');
}

function stringField(input: JsonObject, name: string): string {
  const value = input[name];
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function requireRole(storage: Storage, method: AuthMethod, name: string): RoleEntry {
  const role = readRole(storage, method, name);
  if (role === undefined) throw invalidRequest(`role "${name}" does not exist`);
  return role;
}

// `metadata` of a secret-id: a JSON object of strings, or its JSON text.
function decodeMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalidRequest('failed to parse metadata: use a JSON object of strings, such as {"team": "ci"}');
    }
  }
  if (!isJsonObject(parsed) || Object.values(parsed).some((item) => typeof item !== 'string')) {
    throw invalidRequest('failed to parse metadata: use a JSON object of strings, such as {"team": "ci"}');
  }
  return parsed as Record<string, string>;
}

// Issues a secret-id for `role` (path_role.go handleRoleSecretIDCommon).
function issueSecretId(context: RouteContext, method: AuthMethod, roleName: string, secretId: string, random: RandomBytes): LogicalResponse {
  const { storage, request, now } = context;
  const input = request.data;
  const role = requireRole(storage, method, roleName);
  if (!role.bind_secret_id) throw invalidRequest('bind_secret_id is not set on the role');
  const cidrs = parseCidrList(decodeCommaList(input['cidr_list'], 'cidr_list'), 'cidr_list');
  if (!cidrsWithin(cidrs, role.secret_id_bound_cidrs)) throw invalidRequest("failed to verify the CIDR restrictions set on the secret ID: cidr_list must lie within the role's secret_id_bound_cidrs");
  const tokenCidrs = parseCidrList(decodeCommaList(input['token_bound_cidrs'], 'token_bound_cidrs'), 'token_bound_cidrs');
  if (!cidrsWithin(tokenCidrs, role.token_bound_cidrs)) {
    throw invalidRequest("failed to verify the token bound CIDR restrictions set on the secret ID: token_bound_cidrs must lie within the role's token_bound_cidrs");
  }
  let numUses = role.secret_id_num_uses;
  if (given(input, 'num_uses')) {
    numUses = decodeInt(input['num_uses'], 'num_uses');
    if (numUses < 0) throw invalidRequest('num_uses cannot be negative');
    if ((numUses === 0 && role.secret_id_num_uses > 0) || (role.secret_id_num_uses > 0 && numUses > role.secret_id_num_uses)) {
      throw invalidRequest("num_uses cannot be higher than the role's secret_id_num_uses");
    }
  }
  let ttl = role.secret_id_ttl;
  if (given(input, 'ttl')) {
    ttl = decodeDurationSeconds(input['ttl'], 'ttl', { signed: false });
    if ((ttl === 0 && role.secret_id_ttl > 0) || (role.secret_id_ttl > 0 && ttl > role.secret_id_ttl)) throw invalidRequest("ttl cannot be longer than the role's secret_id_ttl");
  }
  if (findSecretId(storage, method, roleName, role, secretId) !== undefined) throw invalidRequest('SecretID is already registered');
  const entry: SecretIdEntry = {
    role: roleName,
    accessor: buildUuid(random),
    cidr_list: cidrs,
    token_bound_cidrs: tokenCidrs,
    metadata: decodeMetadata(input['metadata']),
    secret_id_num_uses: numUses,
    secret_id_ttl: ttl,
    creation_ms: now,
    expiration_ms: ttl > 0 ? now + ttl * 1000 : null,
    last_updated_ms: now,
  };
  writeSecretId(storage, method, roleName, role, secretId, entry);
  return dataResponse({ secret_id: secretId, secret_id_accessor: entry.accessor, secret_id_num_uses: numUses, secret_id_ttl: ttl });
}

// `login`: role_id and (when the role binds them) a secret-id, checked and spent in one go.
function login(context: RouteContext, match: AuthMethodMatch, random: RandomBytes): LogicalResponse {
  const { storage, request, now } = context;
  const { method } = match;
  const refused = (): SecretrunError => invalidRequest('invalid role or secret ID');
  const roleId = stringField(request.data, 'role_id');
  if (roleId === '') throw invalidRequest('missing role_id');
  const roleName = findRoleById(storage, method, roleId);
  const role = roleName === undefined ? undefined : readRole(storage, method, roleName);
  if (roleName === undefined || role === undefined) throw refused();
  const address = request.remoteAddress;
  let metadata: Record<string, string> = {};
  let tokenCidrs = role.token_bound_cidrs;
  if (role.bind_secret_id) {
    const secretId = stringField(request.data, 'secret_id');
    if (secretId === '') throw invalidRequest('missing secret_id');
    const found = findSecretId(storage, method, roleName, role, secretId);
    if (found === undefined || isSecretIdExpired(found.entry, now)) throw refused();
    if (!addressInCidrs(address, found.entry.cidr_list)) {
      throw invalidRequest(`source address ${JSON.stringify(address)} unauthorized through CIDR restrictions on the secret ID`);
    }
    spendSecretId(storage, method, found, now);
    metadata = found.entry.metadata;
    if (found.entry.token_bound_cidrs.length > 0) tokenCidrs = found.entry.token_bound_cidrs;
  }
  if (!addressInCidrs(address, role.secret_id_bound_cidrs)) {
    throw invalidRequest(`source address ${JSON.stringify(address)} unauthorized by CIDR restrictions on the role`);
  }
  const token = buildLoginToken({ ...role, token_bound_cidrs: tokenCidrs }, method, match.path, {
    name: '',
    path: request.path,
    meta: { ...metadata, role_name: roleName },
  });
  const { caller, warnings } = issueLoginToken(storage, token, { now, random });
  return { kind: 'data', data: null, auth: renderAuthBlock(caller, caller.record.ttl), ...(warnings.length === 0 ? {} : { warnings }) };
}

function writeRoleRoute(context: RouteContext, method: AuthMethod, name: string, random: RandomBytes): LogicalResponse {
  const { storage, request } = context;
  const previous = readRole(storage, method, name);
  const fresh = (): string => buildUuid(random);
  const next = applyRoleWrite(previous ?? emptyRole(fresh(), fresh()), request.data);
  writeRole(storage, method, name, next, previous, fresh);
  return none;
}

// `role/<name>/...` below the role itself.
function routeRoleChild(context: RouteContext, method: AuthMethod, name: string, child: string, random: RandomBytes): Served {
  const { storage, request } = context;
  const { operation, data } = request;
  const writing = operation === 'update' || operation === 'create';
  const fresh = (): string => buildUuid(random);
  switch (child) {
    case 'role-id': {
      const role = requireRole(storage, method, name);
      if (operation === 'read') return { response: dataResponse({ role_id: role.role_id }), fields: pathFields.roleId };
      if (!writing) return unsupported();
      const roleId = stringField(data, 'role_id');
      if (roleId === '') throw invalidRequest('missing role_id');
      writeRole(storage, method, name, { ...role, role_id: roleId }, role, fresh);
      return { response: none, fields: pathFields.roleId };
    }
    case 'secret-id':
      if (operation === 'list') {
        requireRole(storage, method, name);
        return { response: dataResponse({ keys: listSecretIdAccessors(storage, method, name) }), fields: pathFields.list };
      }
      if (!writing) return unsupported();
      return { response: issueSecretId(context, method, name, fresh(), random), fields: pathFields.secretId };
    case 'custom-secret-id': {
      if (!writing) return unsupported();
      const secretId = stringField(data, 'secret_id');
      if (secretId === '') throw invalidRequest('missing secret_id');
      return { response: issueSecretId(context, method, name, secretId, random), fields: pathFields.customSecretId };
    }
    case 'secret-id/lookup':
    case 'secret-id/destroy': {
      if (!writing && !(operation === 'delete' && child.endsWith('destroy'))) return unsupported();
      const role = requireRole(storage, method, name);
      const secretId = stringField(data, 'secret_id');
      if (secretId === '') throw invalidRequest('missing secret_id');
      if (child.endsWith('destroy')) {
        deleteSecretId(storage, method, name, role, secretId);
        return { response: none, fields: pathFields.bySecretId };
      }
      const found = findSecretId(storage, method, name, role, secretId);
      const live = found !== undefined && !isSecretIdExpired(found.entry, context.now);
      return { response: live ? dataResponse(renderSecretId(found.entry)) : none, fields: pathFields.bySecretId };
    }
    case 'secret-id-accessor/lookup':
    case 'secret-id-accessor/destroy': {
      if (!writing && !(operation === 'delete' && child.endsWith('destroy'))) return unsupported();
      requireRole(storage, method, name);
      const accessor = stringField(data, 'secret_id_accessor');
      if (accessor === '') throw invalidRequest('missing secret_id_accessor');
      const missing = (): never => {
        throw invalidRequest(`failed to find accessor entry for secret_id_accessor: ${JSON.stringify(accessor)}`);
      };
      if (child.endsWith('destroy')) {
        if (!deleteSecretIdByAccessor(storage, method, name, accessor)) missing();
        return { response: none, fields: pathFields.byAccessor };
      }
      const found = findSecretIdByAccessor(storage, method, name, accessor) ?? missing();
      return { response: dataResponse(renderSecretId(found.entry)), fields: pathFields.byAccessor };
    }
    default:
      return noRoute(request.path);
  }
}

// Routes a request under an AppRole method; `match.rest` is the part after the method path.
export function routeApprole(match: AuthMethodMatch, context: RouteContext, random: RandomBytes): Served {
  const { request, storage } = context;
  const { method, rest } = match;
  const writing = request.operation === 'update' || request.operation === 'create';
  if (rest === 'login') {
    if (!writing) return unsupported();
    return { response: login(context, match, random), fields: pathFields.login };
  }
  if (rest === 'role/' || rest === 'role') {
    if (request.operation !== 'list') return unsupported();
    return { response: dataResponse({ keys: listRoles(storage, method) }), fields: pathFields.list };
  }
  if (!rest.startsWith('role/')) return noRoute(request.path);
  const [rawName = '', ...children] = rest.slice('role/'.length).split('/');
  const name = normalizeRoleName(rawName);
  if (name === undefined) return noRoute(request.path);
  const child = children.join('/').replace(/\/$/, '');
  if (child !== '') return routeRoleChild(context, method, name, child, random);
  switch (request.operation) {
    case 'read': {
      const role = readRole(storage, method, name);
      return { response: role === undefined ? none : dataResponse(renderRole(role)), fields: pathFields.role };
    }
    case 'create':
    case 'update':
      return { response: writeRoleRoute(context, method, name, random), fields: pathFields.role };
    case 'delete':
      deleteRole(storage, method, name, () => buildUuid(random));
      return { response: none, fields: pathFields.role };
    default:
      return unsupported();
  }
}

// Vault's existence check of `role/<name>`: a write to a role that is not there is a `create`.
export function approleExistence(storage: Storage, method: AuthMethod, rest: string): boolean | undefined {
  if (!rest.startsWith('role/')) return undefined;
  const parts = rest.slice('role/'.length).split('/');
  if (parts.length !== 1) return undefined;
  const name = normalizeRoleName(parts[0] ?? '');
  return name === undefined ? undefined : readRole(storage, method, name) !== undefined;
}
