import { buildFingerprint } from '../../store/recipients/identity.js';
import { publicKeyOf } from '../../store/recipients/identity-file.js';
import { readIdentitySources } from '../../store/recipients/identity-sources.js';
import type { Env } from '../../store/store-paths.js';
import type { KeySourceStatus, StatusProblem } from './status-report.js';

// The keys this machine holds, for `secretrun status`: SECRETRUN_KEY, SECRETRUN_KEY_FILE and
// the private keys under $XDG_CONFIG_HOME/secretrun/identities (docs/keys.md), each by where
// it is and what it holds: a shared root key, or key pairs by fingerprint. Never a key.

// The key sources and their problems (unreadable or malformed, or readable by other users).
export function readKeysStatus(env: Env): { status: KeySourceStatus[]; problems: StatusProblem[] } {
  const status: KeySourceStatus[] = [];
  const problems: StatusProblem[] = [];
  for (const source of readIdentitySources(env)) {
    const where = { source: source.source, ...(source.path === undefined ? {} : { path: source.path }) };
    const { content } = source;
    if (content.kind === 'root') status.push({ ...where, holds: 'a shared root key', fingerprints: [] });
    else if (content.kind === 'identities') {
      const n = content.entries.length;
      status.push({ ...where, holds: `${n} private key${n === 1 ? '' : 's'}`, fingerprints: content.entries.map((entry) => buildFingerprint(publicKeyOf(entry))) });
    } else {
      status.push({ ...where, holds: 'no usable key', fingerprints: [] });
      problems.push({ topic: 'keys', problem: `${source.source}${source.path !== undefined && source.path !== source.source ? ` (${source.path})` : ''} holds no usable key: ${content.problem}.`, fix: 'Replace it with a key made by "secretrun key new" (or a root key, base64 of 32 bytes), or unset or remove it.' });
    }
    if (source.exposed && source.path !== undefined) {
      problems.push({ topic: 'keys', problem: `${source.path} can be read by other users of this machine.`, fix: `Run "chmod 600 ${source.path}".` });
    }
  }
  return { status, problems };
}
