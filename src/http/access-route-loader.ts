import { SecretrunError } from '../errors.js';
import { legacyLeasePath } from './routes/dynamic-routes.js';

// Loads access control's routes (routes/access-routes.ts, a lazy bundle) before the first
// request that needs them: the router runs inside a store read or transaction, where nothing
// can be awaited, so the handler loads them first (handler.ts), and a server at start.

export type AccessRoutes = typeof import('./routes/access-routes.js');

// One handler's hold on the routes.
export interface AccessRouteLoader {
  /** The routes; an internal error when a request reached them unloaded (a path needsAccessRoutes missed). */
  routes(): AccessRoutes;
  /** Whether they are loaded, so that a request after the first awaits nothing. */
  readonly loaded: boolean;
  load(): Promise<AccessRoutes>;
}

// The `sys/` paths served without access control's routes (router.ts routeSys): the mount
// table (but an auth method's tune, which the vault CLI sends to `sys/mounts/auth/…/tune`),
// leases and their legacy paths, the CLI's preflight. (A read of health or seal-status is
// answered before routing, in handler.ts.)
function isCoreSysPath(rest: string): boolean {
  if (rest === 'mounts' || rest.startsWith('mounts/')) return !rest.startsWith('mounts/auth/');
  return rest.startsWith('leases/') || legacyLeasePath(rest) !== undefined || rest.startsWith('internal/ui/mounts/');
}

// Does a request for `path` (logical, no leading slash) need access control's routes?
export function needsAccessRoutes(path: string): boolean {
  if (path.startsWith('auth/')) return true;
  return path.startsWith('sys/') && !isCoreSysPath(path.slice('sys/'.length));
}

// A loader that imports the routes once.
export function createAccessRouteLoader(): AccessRouteLoader {
  let routes: AccessRoutes | undefined;
  let loading: Promise<AccessRoutes> | undefined;
  return {
    routes() {
      if (routes === undefined) throw new SecretrunError('internal', 'access control routes were used before they were loaded');
      return routes;
    },
    get loaded() {
      return routes !== undefined;
    },
    load() {
      loading ??= import('./routes/access-routes.js').then((module) => (routes = module));
      return loading;
    },
  };
}
