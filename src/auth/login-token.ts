import type { Storage } from '../store/storage.js';
import { effectiveLeaseTtls, type AuthMethod } from '../sys/auth-methods.js';
import { issueToken, type IssuedToken, type TokenClock } from './token-store.js';
import { sanitizePolicies, type TokenParams } from './token-params.js';

// The token a login issues, as Vault's core builds it from an auth method's answer
// (request_handling.go handleLoginRequest, framework.CalculateTTL): the user's or role's
// policies plus `default` (unless turned off), a TTL from the user or role, else the method's
// default lease TTL, else the system's, capped by the smallest of the method's (or system's)
// max lease TTL, the user's or role's max TTL and its explicit max TTL; a periodic token lives
// one period at a time. Pure but for `issueLoginToken`, the one place a login stores a token.

export interface LoginToken {
  policies: string[];
  /** Seconds. */
  ttl: number;
  /** Seconds after issue beyond which renewals may not go (0 = none beyond the period). */
  maxTtl: number;
  explicitMaxTtl: number;
  period: number;
  numUses: number;
  boundCidrs: string[];
  displayName: string;
  /** The login path, e.g. `auth/userpass/login/alice`. */
  path: string;
  meta: Record<string, string>;
}

// Who logged in: the method's display name for them and their metadata.
export interface LoginIdentity {
  /** `alice` for userpass (shown as `userpass-alice`); '' for AppRole (shown as `approle`). */
  name: string;
  path: string;
  meta: Record<string, string>;
}

// The display name Vault gives a login token: the method path with `-` for `/`, then the name.
export function buildLoginDisplayName(methodPath: string, name: string): string {
  return `${methodPath.replace(/\//g, '-')}${name}`.replace(/-+$/, '');
}

// The token for a login at `method` (enabled at `methodPath`) by someone with `params`.
export function buildLoginToken(params: TokenParams, method: AuthMethod, methodPath: string, identity: LoginIdentity): LoginToken {
  const lease = effectiveLeaseTtls(method);
  let maxTtl = lease.maxTtl;
  if (params.token_max_ttl > 0 && params.token_max_ttl < maxTtl) maxTtl = params.token_max_ttl;
  if (params.token_explicit_max_ttl > 0 && params.token_explicit_max_ttl < maxTtl) maxTtl = params.token_explicit_max_ttl;
  let ttl: number;
  let cap: number;
  if (params.token_period > 0) {
    ttl = Math.min(params.token_period, maxTtl);
    cap = params.token_explicit_max_ttl;
  } else {
    ttl = params.token_ttl > 0 ? params.token_ttl : lease.defaultTtl;
    cap = maxTtl;
  }
  if (cap > 0) ttl = Math.min(ttl, cap);
  const named = sanitizePolicies(params.token_policies);
  const policies = params.token_no_default_policy || named.includes('root') ? named : sanitizePolicies([...named, 'default']);
  return {
    policies,
    ttl,
    maxTtl: cap,
    explicitMaxTtl: params.token_explicit_max_ttl,
    period: params.token_period > 0 ? ttl : 0,
    numUses: params.token_num_uses,
    boundCidrs: params.token_bound_cidrs,
    displayName: buildLoginDisplayName(methodPath, identity.name),
    path: identity.path,
    meta: identity.meta,
  };
}

// Stores the token of a login through the token store (token-store.ts): it enforces the use
// limit, the CIDR binding, the period and the max TTL from then on. Vault's warnings come back
// when the TTL was capped.
export function issueLoginToken(storage: Storage, token: LoginToken, clock: TokenClock): IssuedToken {
  return issueToken(
    storage,
    {
      policies: token.policies,
      displayName: token.displayName,
      path: token.path,
      ttl: token.ttl,
      maxTtl: token.maxTtl,
      explicitMaxTtl: token.explicitMaxTtl,
      period: token.period,
      numUses: token.numUses,
      boundCidrs: token.boundCidrs,
      renewable: true,
      meta: token.meta,
    },
    clock,
  );
}
