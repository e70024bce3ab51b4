import { existsSync, statSync } from 'node:fs';
import { checkTransport, chooseRunAddress, plainHttpAllowed, type RunAddress } from '../../client/server-address.js';
import { tokenHelperPath } from '../../client/token-helper.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { RemoteStatus, StatusProblem } from './status-report.js';
import { problemOf } from './store-status.js';

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
// source.address when the user allowed it (the runner), and the token's source.
export function readRemoteStatus(env: Readonly<Record<string, string | undefined>>, manifest: Manifest | undefined): { status: RemoteStatus; problems: StatusProblem[] } {
  const spec = manifest?.source.kind === 'remote' ? manifest.source : undefined;
  const problems: StatusProblem[] = [];
  // The address a run would use, by the rule the runner follows (src/client/server-address.ts).
  let run: RunAddress | undefined;
  try {
    run = chooseRunAddress(env, spec?.address, manifest?.file ?? 'the manifest');
  } catch (error) {
    return { status: { address: renderAddress(spec?.address ?? ''), from: "the manifest's source.address, not allowed" }, problems: [problemOf('remote', error)] };
  }
  if (run === undefined) return { status: { address: undefined }, problems };
  const { address } = run;
  const from = env['VAULT_ADDR'] ? 'VAULT_ADDR' : "the manifest's source.address, allowed by SECRETRUN_ALLOWED_ADDRESSES";
  try {
    checkTransport(new URL(address), plainHttpAllowed(env));
  } catch (error) {
    problems.push(error instanceof TypeError ? { topic: 'remote', problem: `VAULT_ADDR is not a URL.`, fix: 'Set it to the server\'s address, e.g. https://vault.example.com:8200.' } : problemOf('remote', error));
  }
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
