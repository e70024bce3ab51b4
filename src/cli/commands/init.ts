import { initStore } from '../../store/init-store.js';
import { resolveStorePath } from '../../store/store-paths.js';
import { type Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { renderStoreCreated } from '../local-client.js';
import { readNewPassphrase } from '../passphrase-prompt.js';

const flags = [
  { name: 'store', kind: 'string', usage: 'Path of the store to create. Defaults to $SECRETRUN_STORE, else .secretrun/store.json.' },
  {
    name: 'passphrase',
    kind: 'bool',
    usage: 'Derive the root key from a passphrase (scrypt) instead of a random key file: $SECRETRUN_PASSPHRASE, or asked for on the terminal.',
  },
] as const satisfies readonly FlagSpec[];

// `init`: create the encrypted store and its root key.
export const initCommand: Command = {
  name: 'init',
  usage: 'secretrun init [options]',
  description:
    'Creates an empty encrypted store with the secret/ KV v2 mount, and its root key. The key goes to $SECRETRUN_KEY when set, else to a new key file under $XDG_CONFIG_HOME/secretrun/keys (never inside the project); with -passphrase it is derived from a passphrase.\n\n  $ secretrun init\n  $ SECRETRUN_PASSPHRASE=... secretrun init -passphrase',
  flags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('init', flags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    const path = resolveStorePath(io.cwd, io.env, values.store || undefined);
    const passphrase = values.passphrase ? await readNewPassphrase(io) : undefined;
    const creation = await initStore({ path, env: io.env, ...(passphrase === undefined ? {} : { passphrase }) });
    io.stderr.write(renderStoreCreated(creation));
    io.stdout.write(`Success! Created the store at: ${creation.path}\n`);
    return 0;
  },
};
