import { invalidRequest } from '../errors.js';
import { resolveTokenPolicies } from './token-policies.js';
import type { TokenRecord } from './token-record.js';
import type { NewToken } from './token-store.js';

// The rules of auth/token/create and create-orphan (Vault's handleCreateCommon, without roles,
// namespaces or batch tokens): what a caller may ask for, checked in Vault's order and with its
// words, turned into the token to issue.

// A create request after its fields were decoded (http/routes/auth-token-create.ts).
export interface CreateRequest {
  policies: readonly string[];
  noDefaultPolicy: boolean;
  /** `no_parent`: an orphan, for sudo callers. */
  noParent: boolean;
  /** Came through create-orphan, whose ACL is its own. */
  orphanPath: boolean;
  id: string | undefined;
  displayName: string;
  /** Seconds; -1 when the request gave a negative value (refused in Vault's order). */
  ttl: number;
  explicitMaxTtl: number;
  period: number;
  numUses: number;
  renewable: boolean;
  meta: Record<string, string> | null;
  type: string;
  entityAlias: string;
}

// Who creates the token: a live token (the parent), or the holder of the store key working on
// the local store, who is root and creates orphans.
export type Creator = { kind: 'token'; record: TokenRecord; sudo: boolean } | { kind: 'local' };

// Vault's displayNameSanitize: `token-<name>` with anything outside [a-zA-Z0-9-] made `-`.
function buildDisplayName(name: string): string {
  if (name === '') return 'token';
  const full = `token-${name}`.replace(/[^a-zA-Z0-9-]/g, '-');
  return full.endsWith('-') ? full.slice(0, -1) : full;
}

// The token a create request asks for, or the 400 Vault answers it with.
export function planCreatedToken(creator: Creator, request: CreateRequest, path: string): NewToken {
  const parent = creator.kind === 'token' ? creator.record : undefined;
  const sudo = creator.kind === 'local' || creator.sudo;
  // A use-limited token could escape its limit through children.
  if (parent !== undefined && parent.num_uses > 0) throw invalidRequest('restricted use token cannot generate child tokens');
  if (request.type === 'batch') throw invalidRequest('batch tokens are not supported: create a service token (type=service)');
  if (request.type !== '' && request.type !== 'service') throw invalidRequest("invalid 'token_type' value");
  if (request.numUses < 0) throw invalidRequest('number of uses cannot be negative');
  if (request.entityAlias !== '') throw invalidRequest("'entity_alias' is only allowed in combination with token role");
  if (request.id !== undefined && !sudo) throw invalidRequest('root or sudo privileges required to specify token id');
  const parentPolicies = parent?.policies ?? ['root'];
  const policies = resolveTokenPolicies({ requested: request.policies, noDefaultPolicy: request.noDefaultPolicy, parentPolicies, sudo });
  if (policies.includes('root') && !parentPolicies.includes('root')) throw invalidRequest('root tokens may not be created without parent token being root');
  if (request.noParent && !sudo) throw invalidRequest('root or sudo privileges required to create orphan token');
  if (request.explicitMaxTtl < 0) throw invalidRequest('explicit_max_ttl must be positive');
  if (request.period < 0) throw invalidRequest('period must be positive');
  if (request.period > 0 && !sudo) throw invalidRequest('root or sudo privileges required to create periodic token');
  if (request.ttl < 0) throw invalidRequest('ttl must be positive');
  const orphan = creator.kind === 'local' || request.noParent || request.orphanPath;
  return {
    ...(request.id === undefined ? {} : { id: request.id }),
    policies,
    displayName: buildDisplayName(request.displayName),
    path,
    ttl: request.ttl,
    explicitMaxTtl: request.explicitMaxTtl,
    period: request.period,
    numUses: request.numUses,
    renewable: request.renewable,
    meta: request.meta,
    ...(parent === undefined ? {} : { creatorTtl: parent.ttl }),
    // A child shares its parent's address restriction (Vault copies it when there is no role).
    ...(parent === undefined || orphan ? {} : { parent, boundCidrs: parent.bound_cidrs }),
  };
}
