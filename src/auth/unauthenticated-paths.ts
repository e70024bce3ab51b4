import { SecretrunError } from '../errors.js';
import type { Storage } from '../store/storage.js';
import { findAuthMethod, readAuthMethods, type AuthMethodType } from '../sys/auth-methods.js';

// Paths Vault serves without checking a token (PathsSpecial.Unauthenticated): health and seal
// status, the auth methods' login endpoints at whatever path the method is enabled, and the
// CLI's mount preflight — which Vault lists as unauthenticated but whose handler looks the
// token up itself, so that asking which mount holds a path never spends a use of a
// use-limited token (authorize.ts does that lookup).

// The CLI's preflight (`sys/internal/ui/mounts/<path>`).
export const preflightPrefix = 'sys/internal/ui/mounts/';

// The preflight's refusal: the same for "no such mount" and "no access", so it reveals nothing.
export function preflightDenied(path: string): SecretrunError {
  const shown = `${path.replace(/^\/+|\/+$/g, '')}/`;
  return new SecretrunError('permission_denied', `preflight capability check returned 403, please ensure client's policies grant access to path "${shown}"`);
}

// Each method's login paths, relative to where it is enabled.
const loginPaths: Readonly<Record<AuthMethodType, (rest: string) => boolean>> = {
  token: () => false,
  userpass: (rest) => rest.startsWith('login/'),
  approle: (rest) => rest === 'login',
};

// Is `path` (a logical path, no leading slash) served without authentication? Reads the auth
// table only for paths under `auth/`, so other requests pay nothing.
export function isUnauthenticatedPath(storage: Storage, path: string): boolean {
  if (path.startsWith('sys/')) return path === 'sys/health' || path === 'sys/seal-status' || path.startsWith(preflightPrefix);
  if (!path.startsWith('auth/') || path.startsWith('auth/token/')) return false;
  const match = findAuthMethod(readAuthMethods(storage), path.slice('auth/'.length));
  // A type this build does not know (a store from a newer one) opens nothing.
  return match !== undefined && Object.hasOwn(loginPaths, match.method.type) && loginPaths[match.method.type](match.rest);
}
