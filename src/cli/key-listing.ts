import { buildFingerprint, renderPublicKey } from '../store/recipients/identity.js';
import { publicKeyOf } from '../store/recipients/identity-file.js';
import type { IdentityEntry } from '../store/recipients/identity-file.js';

// What `secretrun key show` prints: this machine's private keys by where they are, each with
// its public key (what others add as a recipient), fingerprint and protection, and the stores
// it opens. Pure.

// One key found on this machine.
export interface KeyListingEntry {
  /** "SECRETRUN_KEY", "SECRETRUN_KEY_FILE", or the identity's name in the identities directory. */
  source: string;
  path?: string;
  entry: IdentityEntry;
  /** Readable by group or others. */
  exposed: boolean;
  /** The stores it opens and the recipient name it has in each; undefined while unknown. */
  opens?: ReadonlyArray<{ store: string; as: string }>;
}

// A source that holds no usable key, and why.
export interface KeyListingProblem {
  source: string;
  problem: string;
}

// The JSON form (-format=json): one object per key.
export function buildKeyListingJson(entries: readonly KeyListingEntry[]): object[] {
  return entries.map((e) => ({
    source: e.source,
    ...(e.path === undefined ? {} : { path: e.path }),
    public_key: renderPublicKey(publicKeyOf(e.entry)),
    fingerprint: buildFingerprint(publicKeyOf(e.entry)),
    protected: e.entry.kind === 'protected',
    ...(e.opens === undefined ? {} : { opens: e.opens }),
  }));
}

// The table form: a block per key, then warnings.
export function renderKeyListing(entries: readonly KeyListingEntry[], problems: readonly KeyListingProblem[]): string {
  const blocks = entries.map((e) => {
    const lines = [
      `${e.source}${e.path === undefined ? '' : ` (${e.path})`}`,
      `  public key:   ${renderPublicKey(publicKeyOf(e.entry))}`,
      `  fingerprint:  ${buildFingerprint(publicKeyOf(e.entry))}`,
      `  protected:    ${e.entry.kind === 'protected' ? 'yes (passphrase)' : 'no'}`,
    ];
    if (e.opens !== undefined) {
      lines.push(`  opens:        ${e.opens.length === 0 ? "not a recipient of the project's store" : e.opens.map((o) => `${o.store} (as ${o.as})`).join(', ')}`);
    }
    if (e.exposed && e.path !== undefined) lines.push(`  warning:      others can read it: chmod 600 ${e.path}`);
    return lines.join('\n');
  });
  const warnings = problems.map((p) => `warning: ${p.source} holds no usable key: ${p.problem}`);
  if (blocks.length === 0) blocks.push('No private key on this machine: `secretrun key new` makes one.');
  return `${[...blocks, ...warnings].join('\n\n')}\n`;
}
