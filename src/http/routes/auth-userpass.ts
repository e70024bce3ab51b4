import { addressInCidrs } from '../../auth/bound-cidrs.js';
import { buildLoginToken, issueLoginToken } from '../../auth/login-token.js';
import { absentUserHash, hashPassword, verifyPassword } from '../../auth/password-hash.js';
import type { RandomBytes } from '../../auth/token-id.js';
import { tokenFieldNames } from '../../auth/token-params.js';
import { renderAuthBlock } from '../../auth/token-render.js';
import { applyUserPolicies, applyUserWrite, deleteUser, emptyUser, listUsers, normalizeUsername, readUser, renderUser, userFields, writeUser } from '../../auth/userpass.js';
import { SecretrunError, invalidRequest } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { fieldValidationError } from '../../kv/field-decode.js';
import type { Storage } from '../../store/storage.js';
import { readAuthMethods, type AuthMethod, type AuthMethodMatch } from '../../sys/auth-methods.js';
import { dataResponse, none, type AcceptedFields, type DeferredContext, type LogicalResponse, type Served } from '../logical.js';
import type { RouteContext } from './route-context.js';

// The userpass method's API under `auth/<path>/`: `users` (list), `users/<name>` (create, read,
// update, delete), `users/<name>/password`, `users/<name>/policies`, and `login/<name>`.
// Passwords are hashed and verified outside the store transaction (deferred work), and a login
// for a user that does not exist is checked against a hash too, so it takes as long and answers
// the same as a wrong password.

const pathFields = {
  list: [],
  user: [...userFields, ...tokenFieldNames],
  password: ['username', 'password'],
  policies: ['username', 'policies', 'token_policies'],
  login: ['username', 'password'],
} as const satisfies Record<string, AcceptedFields>;

function noRoute(path: string): never {
  throw new SecretrunError('unsupported_path', `no handler for route "${path}". route entry not found.`);
}

function unsupported(): never {
  throw new SecretrunError('unsupported_operation', 'unsupported operation');
}

// The method by its uuid as the store holds it now (deferred work re-finds it: it may be gone).
function methodNow(storage: Storage, uuid: string): AuthMethod {
  const method = Object.values(readAuthMethods(storage)).find((entry) => entry.uuid === uuid);
  if (method === undefined) throw new SecretrunError('unsupported_path', 'the auth method was disabled meanwhile');
  return method;
}

// The password field as a string; its value never appears in an error.
function passwordOf(input: JsonObject): string | undefined {
  const value = input['password'];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw fieldValidationError('password', value, "'' expected type 'string'", { secret: true });
}

// Hashes `password` outside the transaction, then stores the user as `change` makes it.
function deferPasswordWrite(uuid: string, name: string, password: string, change: (user: ReturnType<typeof emptyUser> | undefined) => ReturnType<typeof emptyUser>): LogicalResponse {
  return {
    kind: 'deferred',
    async run(context: DeferredContext) {
      const hash = await hashPassword(password);
      await context.update((storage) => {
        const method = methodNow(storage, uuid);
        writeUser(storage, method, name, { ...change(readUser(storage, method, name)), password_hash: hash });
      });
      return none;
    },
  };
}

function writeUserRoute(method: AuthMethod, name: string, context: RouteContext): LogicalResponse {
  const { storage, request } = context;
  const existing = readUser(storage, method, name);
  const password = passwordOf(request.data);
  if (password === '' || (existing === undefined && password === undefined)) throw invalidRequest('missing password');
  // Everything is checked now, before any hashing; the deferred write applies it again over
  // whatever the user is by then.
  const next = applyUserWrite(existing ?? emptyUser(''), request.data);
  if (password === undefined) {
    writeUser(storage, method, name, next);
    return none;
  }
  return deferPasswordWrite(method.uuid, name, password, (current) => applyUserWrite(current ?? emptyUser(''), request.data));
}

function login(method: AuthMethod, methodPath: string, name: string, random: RandomBytes, request: RouteContext['request']): LogicalResponse {
  const password = passwordOf(request.data);
  if (password === undefined || password === '') throw invalidRequest('missing password');
  const { uuid } = method;
  const refused = (): SecretrunError => invalidRequest('invalid username or password');
  return {
    kind: 'deferred',
    async run(context) {
      const user = await context.read((storage) => readUser(storage, methodNow(storage, uuid), name));
      // The same work whether or not the user exists: one scrypt verification.
      const matches = await verifyPassword(password, user?.password_hash ?? absentUserHash);
      if (!matches || user === undefined) throw refused();
      if (!addressInCidrs(context.request.remoteAddress, user.token_bound_cidrs)) {
        throw new SecretrunError('permission_denied', 'permission denied');
      }
      return context.update((storage) => {
        const current = methodNow(storage, uuid);
        const now = readUser(storage, current, name);
        // Deleted, or given another password, while the hash was being checked.
        if (now === undefined || now.password_hash !== user.password_hash) throw refused();
        const token = buildLoginToken(now, current, methodPath, { name, path: request.path, meta: { username: name } });
        const { caller, warnings } = issueLoginToken(storage, token, { now: context.now, random });
        return { kind: 'data', data: null, auth: renderAuthBlock(caller, caller.record.ttl), ...(warnings.length === 0 ? {} : { warnings }) };
      });
    },
  };
}

// Routes a request under a userpass method; `match.rest` is the part after the method path.
export function routeUserpass(match: AuthMethodMatch, context: RouteContext, random: RandomBytes): Served {
  const { request, storage } = context;
  const { method, rest } = match;
  const full = request.path;
  const [head, rawName, tail, extra] = rest.split('/');
  if (head === 'users' && (rawName === undefined || rawName === '') && tail === undefined) {
    if (request.operation !== 'list') return unsupported();
    return { response: dataResponse({ keys: listUsers(storage, method) }), fields: pathFields.list };
  }
  const name = normalizeUsername(rawName ?? '');
  if (name === undefined || extra !== undefined) return noRoute(full);
  const writing = request.operation === 'update' || request.operation === 'create';
  if (head === 'login' && tail === undefined) {
    if (!writing) return unsupported();
    return { response: login(method, match.path, name, random, request), fields: pathFields.login };
  }
  if (head !== 'users') return noRoute(full);
  if (tail === 'password') {
    if (!writing) return unsupported();
    if (readUser(storage, method, name) === undefined) throw invalidRequest('username does not exist');
    const password = passwordOf(request.data);
    if (password === undefined || password === '') throw invalidRequest('missing password');
    return { response: deferPasswordWrite(method.uuid, name, password, (current) => current ?? emptyUser('')), fields: pathFields.password };
  }
  if (tail === 'policies') {
    if (!writing) return unsupported();
    const user = readUser(storage, method, name);
    if (user === undefined) throw invalidRequest('username does not exist');
    writeUser(storage, method, name, applyUserPolicies(user, request.data));
    return { response: none, fields: pathFields.policies };
  }
  if (tail !== undefined) return noRoute(full);
  switch (request.operation) {
    case 'read': {
      const user = readUser(storage, method, name);
      return { response: user === undefined ? none : dataResponse(renderUser(user)), fields: pathFields.user };
    }
    case 'create':
    case 'update':
      return { response: writeUserRoute(method, name, context), fields: pathFields.user };
    case 'delete':
      deleteUser(storage, method, name);
      return { response: none, fields: pathFields.user };
    default:
      return unsupported();
  }
}

// Vault's existence check of `users/<name>`: a write to a user that is not there is a `create`.
export function userpassExistence(storage: Storage, method: AuthMethod, rest: string): boolean | undefined {
  const [head, rawName, tail] = rest.split('/');
  if (head !== 'users' || tail !== undefined) return undefined;
  const name = normalizeUsername(rawName ?? '');
  return name === undefined ? undefined : readUser(storage, method, name) !== undefined;
}
