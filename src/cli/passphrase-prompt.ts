import { SecretrunError } from '../errors.js';
import type { CliIo } from './io.js';

// The passphrase for a new store or a rekey: $SECRETRUN_PASSPHRASE, else asked twice on the
// terminal (never echoed). Without a terminal there is no one to ask, so it is an error.
export async function readNewPassphrase(io: CliIo, name = 'SECRETRUN_PASSPHRASE'): Promise<string> {
  const fromEnv = io.env[name];
  if (fromEnv) return fromEnv;
  if (!io.stdinIsTTY || io.promptSecret === undefined) {
    throw new SecretrunError('usage', `no passphrase given: set ${name}, or run this on a terminal to be asked for one`);
  }
  const first = await io.promptSecret('New passphrase: ');
  if (first.length < 8) throw new SecretrunError('input', 'the passphrase is too short: use at least 8 characters');
  const second = await io.promptSecret('Repeat the passphrase: ');
  if (first !== second) throw new SecretrunError('input', 'the two passphrases differ: nothing was changed');
  return first;
}
