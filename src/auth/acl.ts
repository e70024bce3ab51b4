import { checkParameters, type ParameterRefusal } from './acl-parameters.js';
import { buildRuleIndex, findGoverning, type RuleIndex } from './acl-index.js';
import { capabilityBits, denyBit, type Permissions } from './acl-permissions.js';
import { buildSortedPatterns, checkMountAccess, type SortedPatterns } from './mount-access.js';
import { capabilityNames, type Capability, type Operation, type Policy } from './policy.js';
import { rootPolicyName } from './builtin-policies.js';
import { isSudoPath } from './sudo-paths.js';

// Several policies compiled into one access control list, deciding requests as Vault's
// vault/acl.go does. Compile once per set of policies (acl-cache.ts keeps them); a decision
// is then a few map lookups. The ACL knows nothing of engines: a KV v2 read is a `read` of
// `secret/data/<key>`, a listing a `list` of `secret/metadata/<dir>/`, exactly as Vault sees them.

// One request, as the ACL sees it.
export interface AclRequest {
  /** The logical path, e.g. `secret/data/app`; leading slashes are ignored. */
  path: string;
  /** Vault's logical operation; a POST/PUT is `update`. */
  operation: Operation;
  /**
   * For an `update` of a path whose engine checks existence (KV data, metadata, v1 keys):
   * whether the target exists. `false` makes the update a `create`, as Vault's existence check
   * does; leave it out for paths without one.
   */
  existing?: boolean;
  /** The request's data: the JSON body of a write, the query parameters of a read. */
  data?: Readonly<Record<string, unknown>>;
  /** The response-wrapping TTL the client asked for, in seconds (secretrun never wraps). */
  wrapTtl?: number;
}

// Why a request was refused (Vault answers every one of them with "permission denied").
export type DenyReason = 'no_rule' | 'deny' | 'capability' | 'wrapping_ttl' | ParameterRefusal | 'sudo';

export interface AclDecision {
  allowed: boolean;
  /** The operation checked: `create` when an update's target does not exist. */
  operation: Operation;
  /** The pattern of the rule that governed the path, as written; undefined when none matched. */
  rule: string | undefined;
  /** That rule's capabilities, sorted (empty for root, which is `root: true`). Shared: do not mutate. */
  capabilities: readonly Capability[];
  /** The policies granting the operation's capability (for the audit log's granting_policies). */
  grantingPolicies: readonly string[];
  /** The path is root-protected (sudo-paths.ts). */
  sudoRequired: boolean;
  /** The governing rule grants sudo, or the token is root (Vault's RootPrivs). */
  sudo: boolean;
  root: boolean;
  reason?: DenyReason;
}

export interface Acl {
  readonly root: boolean;
  decide(request: AclRequest): AclDecision;
  /** What `sys/capabilities` reports for the path: sorted names, `["root"]`, or `["deny"]`. */
  capabilities(path: string): string[];
  /** May the token see the mount at `mountPath` (ending in `/`)? Authorises the CLI's preflight. */
  hasMountAccess(mountPath: string): boolean;
}

const none: readonly never[] = Object.freeze([]);
const rootGranting: readonly string[] = Object.freeze([rootPolicyName]);

const rootAcl: Acl = {
  root: true,
  decide: (request) => ({
    allowed: true,
    operation: effectiveOperation(request),
    rule: undefined,
    capabilities: none,
    grantingPolicies: rootGranting,
    sudoRequired: isSudoPath(normalizePath(request)),
    sudo: true,
    root: true,
  }),
  capabilities: () => ['root'],
  hasMountAccess: () => true,
};

// Compiles policies (those a token names and that exist) into one ACL. A `root` policy among
// them makes the ACL root: Vault's token store never attaches `root` beside other policies.
export function compileAcl(policies: readonly Policy[]): Acl {
  if (policies.some((policy) => policy.name === rootPolicyName)) return rootAcl;
  const index = buildRuleIndex(policies);
  let sorted: SortedPatterns | undefined;
  return {
    root: false,
    decide: (request) => decideRequest(index, request),
    capabilities: (path) => {
      const permissions = findGoverning(index, stripSlashes(path), true);
      const bits = permissions?.bits ?? 0;
      return bits === 0 || bits & denyBit ? ['deny'] : [...(permissions?.rendered ?? [])];
    },
    hasMountAccess: (mountPath) => {
      sorted ??= buildSortedPatterns(index);
      return checkMountAccess(index, sorted, stripSlashes(mountPath));
    },
  };
}

function decideRequest(index: RuleIndex, request: AclRequest): AclDecision {
  const operation = effectiveOperation(request);
  const path = normalizePath(request);
  const sudoRequired = isSudoPath(path);
  const permissions = findGoverning(index, path, operation === 'list');
  if (permissions === undefined) return refused(operation, sudoRequired, 'no_rule', undefined);
  const bits = permissions.bits;
  if (bits & denyBit) return refused(operation, sudoRequired, 'deny', permissions);
  if ((bits & capabilityBits[operation]) === 0) return refused(operation, sudoRequired, 'capability', permissions);
  if (!wrappingAllowed(permissions, request.wrapTtl)) return refused(operation, sudoRequired, 'wrapping_ttl', permissions);
  if (operation !== 'list' && operation !== 'delete') {
    const refusal = checkParameters(permissions, request.data);
    if (refusal !== undefined) return refused(operation, sudoRequired, refusal, permissions);
  }
  const sudo = (bits & capabilityBits.sudo) !== 0;
  if (sudoRequired && !sudo) return refused(operation, sudoRequired, 'sudo', permissions);
  return {
    allowed: true,
    operation,
    rule: permissions.pattern,
    capabilities: permissions.rendered,
    grantingPolicies: permissions.granting[capabilityNames.indexOf(operation)] ?? none,
    sudoRequired,
    sudo,
    root: false,
  };
}

function refused(operation: Operation, sudoRequired: boolean, reason: DenyReason, governing: Permissions | undefined): AclDecision {
  return {
    allowed: false,
    operation,
    rule: governing?.pattern,
    capabilities: governing === undefined ? none : governing.rendered,
    grantingPolicies: none,
    sudoRequired,
    sudo: governing !== undefined && (governing.bits & capabilityBits.sudo) !== 0,
    root: false,
    reason,
  };
}

// A rule with wrapping TTL bounds admits only requests wrapped within them; secretrun does not
// wrap responses, so such a rule refuses every request it governs (as Vault refuses unwrapped ones).
function wrappingAllowed(permissions: Permissions, wrapTtl: number | undefined): boolean {
  const { minWrappingTtl: min, maxWrappingTtl: max } = permissions;
  if (max > 0 && (wrapTtl === undefined || wrapTtl > max)) return false;
  if (min > 0 && (wrapTtl === undefined || wrapTtl < min)) return false;
  return !(min !== 0 && max !== 0 && max < min);
}

function effectiveOperation(request: AclRequest): Operation {
  return request.operation === 'update' && request.existing === false ? 'create' : request.operation;
}

// The path as Vault's ACL sees it: no leading slash; a LIST path ends in `/` (the HTTP layer adds it).
function normalizePath(request: AclRequest): string {
  const path = stripSlashes(request.path);
  return request.operation === 'list' && !path.endsWith('/') ? `${path}/` : path;
}

function stripSlashes(path: string): string {
  let start = 0;
  while (path[start] === '/') start++;
  return start === 0 ? path : path.slice(start);
}
