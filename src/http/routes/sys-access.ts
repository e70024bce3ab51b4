import type { RandomBytes } from '../../sys/mounts.js';
import type { Served } from '../logical.js';
import type { RouteContext } from './route-context.js';
import { isCapabilitiesPath, routeCapabilities } from './sys-capabilities.js';
import { routeAclPolicies, routeLegacyPolicies } from './sys-policies.js';
import { routeAuthTune, routeSysAuth } from './sys-auth.js';

// The system paths of access control: policies, capabilities and the auth method table.
// `rest` is the path after `sys/`; undefined when it is none of them.
export function routeSysAccess(rest: string, context: RouteContext, random: RandomBytes): Served | undefined {
  if (rest === 'policies/acl' || rest.startsWith('policies/acl/')) return routeAclPolicies(rest.slice('policies/acl'.length), context);
  if (rest === 'policy' || rest.startsWith('policy/')) return routeLegacyPolicies(rest.slice('policy'.length), context);
  if (isCapabilitiesPath(rest)) return routeCapabilities(rest, context);
  if (rest === 'auth' || rest.startsWith('auth/')) return routeSysAuth(rest.slice('auth'.length), context, random);
  // Where the vault CLI's `auth tune` sends its request.
  if (rest.startsWith('mounts/auth/') && rest.endsWith('/tune')) return routeAuthTune(rest.slice('mounts/auth/'.length, -'/tune'.length), context);
  return undefined;
}
