// Access control's routes, loaded on first use (access-route-loader.ts): the token store and
// the auth methods under `auth/`, and policies, capabilities, the auth table and audit
// devices under `sys/`. A kv read or write and a run need none of them, so the CLI's start
// bundle does not carry their code (docs/runner.md#start-up).
export { authExistenceOf, routeAuthMethod } from './auth-methods.js';
export { routeAuthToken } from './auth-token.js';
export { routeSysAccess } from './sys-access.js';
export { routeSysAudit, routeSysAuditHash } from './sys-audit.js';
