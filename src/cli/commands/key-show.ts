import { renderGoJsonIndented } from '../../go/json.js';
import { readFileBounded } from '../../fs/bounded-read.js';
import { resolveProjectStorePath } from '../../store/project-discovery.js';
import { renderPublicKey } from '../../store/recipients/identity.js';
import { publicKeyOf } from '../../store/recipients/identity-file.js';
import { readIdentitySources } from '../../store/recipients/identity-sources.js';
import type { RecipientEntry } from '../../store/recipients/recipient-entry.js';
import { parseStoreBytes } from '../../store/store-format.js';
import { maxStoreBytes } from '../../store/store-snapshot.js';
import type { Env } from '../../store/store-paths.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { buildKeyListingJson, renderKeyListing } from '../key-listing.js';
import type { KeyListingEntry, KeyListingProblem } from '../key-listing.js';

const flags = [{ name: 'format', kind: 'string', default: 'table', usage: 'Print the keys as "table" or "json".' }] as const satisfies readonly FlagSpec[];

// The recipients of the project's store, read from its header (no key needed); undefined when
// there is no store or it has no recipients, or cannot be read (`secretrun status` says why).
function readProjectRecipients(cwd: string, env: Env): { path: string; recipients: readonly RecipientEntry[] } | undefined {
  try {
    const path = resolveProjectStorePath(cwd, env);
    const recipients = parseStoreBytes(readFileBounded(path, maxStoreBytes), path).header.recipients;
    return recipients === undefined ? undefined : { path, recipients };
  } catch {
    return undefined;
  }
}

// `key show`: this machine's public keys.
export const keyShowCommand: Command = {
  name: 'key show',
  usage: 'secretrun key show [options]',
  description:
    "Prints the public key and fingerprint of every private key this machine has: $SECRETRUN_KEY and $SECRETRUN_KEY_FILE when they hold one, and the keys in $XDG_CONFIG_HOME/secretrun/identities. Give a public key to someone who can open a store to be added as its recipient. Private keys are never printed; protected keys are shown without their passphrase.\n\n  $ secretrun key show\n  $ secretrun key show -format=json",
  flags,
  async run(argv, context) {
    parseCommandLine('key show', flags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    const entries: KeyListingEntry[] = [];
    const problems: KeyListingProblem[] = [];
    for (const source of readIdentitySources(io.env)) {
      const where = { source: source.source, ...(source.path === undefined ? {} : { path: source.path }), exposed: source.exposed };
      if (source.content.kind === 'identities') for (const entry of source.content.entries) entries.push({ ...where, entry });
      else if (source.content.kind === 'problem') problems.push({ source: source.source, problem: source.content.problem });
      else io.stderr.write(`secretrun: ${source.source} holds a shared root key (base64), not a key pair: it has no public key\n`);
    }
    const opens = readProjectRecipients(io.cwd, io.env);
    if (opens !== undefined) {
      for (const listed of entries) {
        const publicKey = renderPublicKey(publicKeyOf(listed.entry));
        listed.opens = opens.recipients.filter((r) => r.public_key === publicKey).map((r) => ({ store: opens.path, as: r.name }));
      }
    }
    if (context.global.format === 'json') io.stdout.write(`${renderGoJsonIndented(buildKeyListingJson(entries))}\n`);
    else io.stdout.write(renderKeyListing(entries, problems));
    if (context.global.format === 'json') for (const p of problems) io.stderr.write(`secretrun: ${p.source} holds no usable key: ${p.problem}\n`);
    return 0;
  },
};
