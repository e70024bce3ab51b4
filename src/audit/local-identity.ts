import type { AuditIdentity } from './audit-entry.js';

// Who the CLI, the runner and a Node program over a local store act as in audit entries:
// whoever holds the store key is root, with no token.
export function localIdentity(env: Readonly<Record<string, string | undefined>>): AuditIdentity {
  const user = env['USER'] ?? env['USERNAME'];
  return { displayName: 'local', policies: ['root'], tokenPolicies: ['root'], metadata: user ? { os_user: user } : null, tokenType: 'default' };
}
