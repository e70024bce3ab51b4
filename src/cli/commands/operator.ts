import { randomBytes } from 'node:crypto';
import { buildToken } from '../../auth/token-id.js';
import { createRootToken } from '../../auth/token-store.js';
import { SecretrunError } from '../../errors.js';
import { renderGoJsonIndented } from '../../go/json.js';
import { writePrivateFile } from '../../fs/private-file.js';
import { openFileStore } from '../../store/file-store.js';
import { rekeyStore } from '../../store/rekey-store.js';
import { rotateStore } from '../../store/rotate-store.js';
import { resolveProjectStorePath } from '../../store/project-discovery.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { readNewPassphrase } from '../passphrase-prompt.js';
import { withPassphrasePrompt } from '../store-passphrase.js';

const storeFlag = { name: 'store', kind: 'string', usage: 'Path of the store. Defaults to $SECRETRUN_STORE, else the project\'s .secretrun/store.json (in this directory or the nearest parent holding secretrun.yaml or .secretrun/, up to the repository\'s root), else ./.secretrun/store.json.' } as const;

const rotateFlags = [storeFlag] as const satisfies readonly FlagSpec[];

// `operator rotate`: a new data key for new writes; older entries stay readable.
export const operatorRotateCommand: Command = {
  name: 'operator rotate',
  usage: 'secretrun operator rotate [options]',
  description:
    'Adds a new data-key term to the store\'s keyring. New writes are encrypted with it; existing entries keep their term and stay readable.\n\n  $ secretrun operator rotate',
  flags: rotateFlags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('operator rotate', rotateFlags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    const path = resolveProjectStorePath(io.cwd, io.env, values.store || undefined);
    const { term } = await rotateStore({ path, env: io.env });
    io.stdout.write(`Success! Rotated the data key of ${path}: new writes use key term ${term}\n`);
    return 0;
  },
};

const rekeyFlags = [
  storeFlag,
  {
    name: 'passphrase',
    kind: 'bool',
    usage: 'Derive the new root key from a passphrase: $SECRETRUN_NEW_PASSPHRASE, or asked for on the terminal.',
  },
] as const satisfies readonly FlagSpec[];

// `operator rekey`: a new root key and a new data-key term; only the keyring is re-wrapped.
export const operatorRekeyCommand: Command = {
  name: 'operator rekey',
  usage: 'secretrun operator rekey [options]',
  description:
    'Replaces the store\'s root key. The data keys are re-wrapped under the new root key and a new data-key term starts, so the old root key, even with an earlier copy of the store, cannot read anything written after the rekey; entry lines do not change. Secrets the old key could read are not protected by a rekey: change them at their source. The current key is found as for any command; the new one is a fresh key file (the default) or a passphrase.\n\n  $ secretrun operator rekey\n  $ SECRETRUN_NEW_PASSPHRASE=... secretrun operator rekey -passphrase',
  flags: rekeyFlags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('operator rekey', rekeyFlags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    const path = resolveProjectStorePath(io.cwd, io.env, values.store || undefined);
    const newPassphrase = values.passphrase ? await readNewPassphrase(io, 'SECRETRUN_NEW_PASSPHRASE') : undefined;
    const { key, term } = await rekeyStore({ path, env: io.env, ...(newPassphrase === undefined ? {} : { newPassphrase }) });
    const where =
      key.kind === 'file'
        ? `the new key is in ${key.path}`
        : key.kind === 'passphrase'
          ? 'the new key is derived from the new passphrase'
          : key.kind === 'recipients'
            ? 'the new key is wrapped for each recipient (the shared key no longer opens it)'
            : 'the new key was passed in';
    io.stdout.write(`Success! Rekeyed ${path}: ${where}; new writes use key term ${term}\n`);
    if (key.kind !== 'recipients' && (io.env['SECRETRUN_KEY'] || io.env['SECRETRUN_KEY_FILE'] || io.env['SECRETRUN_PASSPHRASE'])) {
      io.stderr.write('secretrun: the old key is still set in your environment; update SECRETRUN_KEY, SECRETRUN_KEY_FILE or SECRETRUN_PASSPHRASE, or the store will not open\n');
    }
    return 0;
  },
};

const generateRootFlags = [
  storeFlag,
  { name: 'root-token-file', kind: 'string', usage: 'Write the new root token to this file (mode 0600) instead of printing it.' },
] as const satisfies readonly FlagSpec[];

// `operator generate-root`: a new root token for the store. Vault combines a quorum of unseal
// keys; here holding the store's key is the proof, so the command works on the store file.
export const operatorGenerateRootCommand: Command = {
  name: 'operator generate-root',
  usage: 'secretrun operator generate-root [options]',
  description:
    'Creates a new root token in the store, for whoever holds the store\'s key (the key is the proof, as unseal keys are in Vault). Use it when the token shown at the first `secretrun server` start was lost. The token is printed (or written to -root-token-file) before its hash is stored.\n\n  $ secretrun operator generate-root\n  $ secretrun operator generate-root -root-token-file=/run/secrets/root-token',
  flags: generateRootFlags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('operator generate-root', generateRootFlags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    const path = resolveProjectStorePath(io.cwd, io.env, values.store || undefined);
    const store = await withPassphrasePrompt(io, path, (passphrase) => openFileStore({ path, env: io.env, ...(passphrase === undefined ? {} : { passphrase }) }));
    try {
      if (store.id === undefined) {
        throw new SecretrunError('store_io', `cannot generate a root token for ${path}: the store does not exist (run \`secretrun init\` or check --store)`);
      }
      const token = buildToken((n) => new Uint8Array(randomBytes(n)));
      const tokenFile = values['root-token-file'];
      if (tokenFile !== '') {
        await writePrivateFile(tokenFile, `${token}\n`).catch((error: unknown) => {
          throw new SecretrunError('input', `cannot write -root-token-file ${tokenFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'} (choose a writable path; nothing was stored)`);
        });
      }
      await store.update((storage) => createRootToken(storage, { now: Date.now(), random: (n) => new Uint8Array(randomBytes(n)) }, token));
      if (tokenFile !== '') io.stdout.write(`Success! A new root token for ${path} was written to ${tokenFile}; the store keeps only its hash.\n`);
      else if (context.global.format === 'json') io.stdout.write(`${renderGoJsonIndented({ root_token: token })}\n`);
      else io.stdout.write(`Root Token: ${token}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
