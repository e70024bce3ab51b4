import type { HeldLeaseInfo } from '../source/source.js';
import type { VariableOrigin } from './resolve-secrets.js';

// What `secretrun env` says on stderr about values that come with a lease: which variables,
// which lease, until when, and how to end it early. Names and lease ids only, never a value.
export function renderLeaseNotice(leases: readonly HeldLeaseInfo[], origins: readonly VariableOrigin[]): string {
  return leases
    .map((lease) => {
      const names = origins.filter((origin) => origin.refs.some((ref) => ref === lease.path || ref.startsWith(`${lease.path}#`) || ref.startsWith(`${lease.path}@`))).map((origin) => origin.name);
      const which = names.length === 0 ? lease.path : `${names.join(', ')} (${lease.path})`;
      return `secretrun: ${which} ${names.length === 1 ? 'is' : 'are'} leased until ${new Date(lease.expiresAt).toISOString()} (lease ${lease.leaseId}; end it with \`secretrun lease revoke ${lease.leaseId}\`)\n`;
    })
    .join('');
}
