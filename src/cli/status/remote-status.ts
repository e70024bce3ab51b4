import { existsSync, statSync } from 'node:fs';
import { tokenHelperPath } from '../../client/token-helper.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { RemoteStatus, StatusProblem } from './status-report.js';

// Where a Vault-compatible server would be reached and where its token would come from, for
// `secretrun status`. Nothing is sent to the server, and the token itself is never read into
// the report: only the name of the variable or file that holds it.

// An address without any user:password in it (a URL may carry them).
export function renderAddress(address: string): string {
  try {
    const url = new URL(address);
    if (url.username === '' && url.password === '') return address;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return '(not a URL)';
  }
}

// The remote side of the report: VAULT_ADDR (every command and the runner) or the manifest's
// source.address (the runner), and the token's source.
export function readRemoteStatus(env: Readonly<Record<string, string | undefined>>, manifest: Manifest | undefined): { status: RemoteStatus; problems: StatusProblem[] } {
  const spec = manifest?.source.kind === 'remote' ? manifest.source : undefined;
  const address = env['VAULT_ADDR'] || spec?.address;
  if (!address) return { status: { address: undefined }, problems: [] };
  const from = env['VAULT_ADDR'] ? 'VAULT_ADDR' : "the manifest's source.address";
  const problems: StatusProblem[] = [];
  let token: string;
  if (spec?.auth.method === 'approle') {
    const missing = [spec.auth.roleIdEnv, spec.auth.secretIdEnv].filter((name) => !env[name]);
    token = `an AppRole login with ${spec.auth.roleIdEnv} and ${spec.auth.secretIdEnv}`;
    if (missing.length > 0) problems.push({ topic: 'remote', problem: `the manifest logs in with AppRole but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set.`, fix: `Set ${missing.join(' and ')} (source.auth in the manifest names them).` });
  } else {
    const variable = spec?.tokenEnv ?? 'VAULT_TOKEN';
    const helper = tokenHelperPath(env);
    if (env[variable]) token = variable;
    else if (existsSync(helper) && (statSync(helper).size > 0)) token = `the token helper file ${helper}`;
    else {
      token = 'nowhere';
      problems.push({ topic: 'remote', problem: `no token for ${renderAddress(address)}: ${variable} is not set and ${helper} does not exist.`, fix: `Set ${variable}, or run "secretrun login" (it writes ${helper}).` });
    }
  }
  return { status: { address: renderAddress(address), from, token }, problems };
}
