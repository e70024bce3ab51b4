import { renderGoJsonIndented } from '../../go/json.js';
import { SecretrunError } from '../../errors.js';
import { openFileStore } from '../../store/file-store.js';
import { addRecipient, removeRecipient } from '../../store/recipient-change.js';
import { parseStoreBytes } from '../../store/store-format.js';
import { readStoreFile } from '../../store/store-snapshot.js';
import { resolveProjectStorePath } from '../../store/project-discovery.js';
import type { Command, CommandContext } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { buildRecipientRows, countLiveSecrets, renderRecipientTable } from '../recipient-listing.js';
import { withPassphrasePrompt } from '../store-passphrase.js';

const storeFlag = {
  name: 'store',
  kind: 'string',
  usage: "Path of the store. Defaults to $SECRETRUN_STORE, else the project's .secretrun/store.json (in this directory or the nearest parent holding secretrun.yaml or .secretrun/, up to the repository's root), else ./.secretrun/store.json.",
} as const;
const listFlags = [storeFlag, { name: 'format', kind: 'string', default: 'table', usage: 'Print the recipients as "table" or "json".' }] as const satisfies readonly FlagSpec[];
const addFlags = [storeFlag] as const satisfies readonly FlagSpec[];

function storePathOf(context: CommandContext, store: string): string {
  return resolveProjectStorePath(context.io.cwd, context.io.env, store || undefined);
}

// Runs a store change, asking for a passphrase (a passphrase store, a protected private key) on
// a terminal when no variable gave one.
function withPrompt<T>(context: CommandContext, path: string, change: (passphrase?: string) => Promise<T>): Promise<T> {
  return withPassphrasePrompt(context.io, path, change);
}

// `recipients list`: who can open the store, from its header alone (no key needed).
export const recipientsListCommand: Command = {
  name: 'recipients list',
  usage: 'secretrun recipients list [options]',
  description:
    "Lists the recipients of the store: each one's name, fingerprint, public key, who added it and when, and whether the shared root key the store had before it was converted still opens it. It reads the store's header only, so no key is needed.\n\n  $ secretrun recipients list\n  $ secretrun recipients list -format=json",
  flags: listFlags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('recipients list', listFlags, argv, context, { min: 0, max: 0 });
    const path = storePathOf(context, values.store);
    const file = await readStoreFile(path);
    if (file === undefined) throw new SecretrunError('store_missing', `no store at ${path} (run \`secretrun init\`, or check --store)`);
    const { header } = parseStoreBytes(file.bytes, path);
    const rows = buildRecipientRows(header.recipients ?? []);
    const sharedKey = header.recipients === undefined || header.sharedKey === true;
    if (values.format === 'json') context.io.stdout.write(`${renderGoJsonIndented({ recipients: rows, shared_key: sharedKey })}\n`);
    else context.io.stdout.write(renderRecipientTable(path, rows, sharedKey));
    return 0;
  },
};

// `recipients add NAME PUBLIC_KEY`: one more key opens the store.
export const recipientsAddCommand: Command = {
  name: 'recipients add',
  usage: 'secretrun recipients add [options] NAME PUBLIC_KEY',
  description:
    "Adds a recipient: the store's root key is wrapped for PUBLIC_KEY (an age1… key from `secretrun key new` or age-keygen), so its holder can open everything in the store, including older versions. Only the header changes. On a store without recipients this converts it: the shared root key keeps opening it until `secretrun recipients remove -shared-key`.\n\n  $ secretrun recipients add bob age1...\n  $ secretrun recipients add ci-runner age1...",
  flags: addFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('recipients add', addFlags, argv, context, { min: 2, max: 2 });
    const [name = '', publicKeyText = ''] = args;
    const path = storePathOf(context, values.store);
    const { env } = context.io;
    const added = await withPrompt(context, path, (passphrase) => addRecipient({ path, env, name, publicKeyText, now: Date.now(), ...(passphrase === undefined ? {} : { passphrase }) }));
    if (added.converted) context.io.stdout.write(`Converted ${path} to a recipient store; the shared root key still opens it.\n`);
    context.io.stdout.write(`Added ${name} (fp ${added.fingerprint}): ${name} can open everything in this store, including older versions.\n`);
    return 0;
  },
};

const removeFlags = [
  storeFlag,
  { name: 'shared-key', kind: 'bool', usage: 'Remove the shared root key the store had before it was converted, instead of a recipient.' },
] as const satisfies readonly FlagSpec[];

// `recipients remove NAME|FINGERPRINT` and `recipients remove -shared-key`.
export const recipientsRemoveCommand: Command = {
  name: 'recipients remove',
  usage: 'secretrun recipients remove [options] NAME|FINGERPRINT',
  description:
    "Removes a recipient (by name or fingerprint), or with -shared-key the shared root key. The store gets a new root key, wrapped for the remaining recipients only, and a new data-key term, so the removed key cannot read anything written afterwards. What it could read until now cannot be taken back: rotate those secrets at their source, then `secretrun kv put` the new values.\n\n  $ secretrun recipients remove bob\n  $ secretrun recipients remove -shared-key",
  flags: removeFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('recipients remove', removeFlags, argv, context, { min: 0, max: 1 });
    const sharedKey = values['shared-key'];
    if (sharedKey === (args.length === 1)) {
      throw new SecretrunError('usage', 'recipients remove takes one recipient (NAME or FINGERPRINT) or -shared-key', { hint: 'secretrun recipients remove bob' });
    }
    const path = storePathOf(context, values.store);
    const { env } = context.io;
    const count = await withPrompt(context, path, async (passphrase) => {
      const store = await openFileStore({ path, env, ...(passphrase === undefined ? {} : { passphrase }) });
      try {
        return await store.read((storage) => countLiveSecrets(storage, Date.now()));
      } finally {
        await store.close();
      }
    });
    const target = sharedKey ? ({ kind: 'shared-key' } as const) : ({ kind: 'recipient', nameOrFingerprint: args[0] ?? '' } as const);
    const removed = await withPrompt(context, path, (passphrase) => removeRecipient({ path, env, target, ...(passphrase === undefined ? {} : { passphrase }) }));
    const who = removed.name ?? 'the shared root key';
    const secrets = `${count} secret${count === 1 ? '' : 's'}`;
    context.io.stdout.write(
      `Removed ${removed.name === undefined ? who : `${who} (fp ${removed.fingerprint})`}; new writes use key term ${removed.term}.\n` +
        `${who} can no longer open what is written from now on. Everything the store held until now must be treated as known to ${who}: rotate those secrets at their source, then \`secretrun kv put\` the new values (${secrets} with live versions).\n`,
    );
    return 0;
  },
};
