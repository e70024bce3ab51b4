import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { buildFingerprint, createIdentity, renderPublicKey } from '../../store/recipients/identity.js';
import { identityFilePath, writeNewIdentityFile } from '../../store/recipients/identity-dir.js';
import { renderIdentityFile, renderProtectedIdentityFile } from '../../store/recipients/identity-file.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { readNewPassphrase } from '../passphrase-prompt.js';

const flags = [
  { name: 'name', kind: 'string', default: 'default', usage: 'Name of the key: it is written to $XDG_CONFIG_HOME/secretrun/identities/<name>.key.' },
  {
    name: 'passphrase',
    kind: 'bool',
    usage: 'Protect the private key with a passphrase (scrypt): $SECRETRUN_IDENTITY_PASSPHRASE, or asked for twice on the terminal. It is then asked for whenever the key opens a store.',
  },
  {
    name: 'output',
    kind: 'string',
    usage: 'Write the private key to this file instead (never overwritten), or its one line to standard output with "-" (to pipe it into a CI secret without a copy on disk).',
  },
] as const satisfies readonly FlagSpec[];

// `key new`: a key pair for a person or a machine.
export const keyNewCommand: Command = {
  name: 'key new',
  usage: 'secretrun key new [options]',
  description:
    "Makes an X25519 key pair (an age key: age and sops users can use theirs instead) and writes the private key to $XDG_CONFIG_HOME/secretrun/identities/<name>.key (mode 0600; an existing key is never overwritten). It prints the public key: give it to someone who can open the store, who runs `secretrun recipients add <your name> <public key>`. Back the private key up: a store it alone opens cannot be opened without it.\n\n  $ secretrun key new\n  $ secretrun key new -name=ci -output=- | gh secret set SECRETRUN_KEY",
  flags,
  vaultGlobalFlags: false,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('key new', flags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    // The path is checked before anything is asked or generated.
    const path = values.output === '' ? identityFilePath(io.env, values.name) : values.output === '-' ? undefined : resolve(io.cwd, values.output);
    const passphrase = values.passphrase ? await readNewPassphrase(io, 'SECRETRUN_IDENTITY_PASSPHRASE') : undefined;
    const identity = createIdentity(randomBytes);
    const created = new Date();
    const text = passphrase === undefined ? renderIdentityFile(identity, created) : renderProtectedIdentityFile(identity, created, passphrase, randomBytes);
    const publicKey = renderPublicKey(identity.publicKey);
    if (path === undefined) {
      // The key line alone: one line is what CI secret stores mask in logs.
      io.stdout.write(`${text.trimEnd().split('\n').at(-1) ?? ''}\n`);
      io.stderr.write(`secretrun: public key ${publicKey} (fingerprint ${buildFingerprint(identity.publicKey)}); the private key went to standard output only\n`);
      return 0;
    }
    await writeNewIdentityFile(path, text);
    io.stdout.write(`${publicKey}\n`);
    io.stderr.write(
      `secretrun: wrote the private key to ${path} (fingerprint ${buildFingerprint(identity.publicKey)}); back it up, and share only the public key above\n`,
    );
    return 0;
  },
};
