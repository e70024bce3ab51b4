import { SecretrunError } from '../errors.js';
import type { ClientFlags, CommandContext } from './command.js';
import { parseFlags, type FlagSpec, type FlagValues, type ParsedCommandLine } from './flags.js';

// Parses a command's flags, prints Vault's trailing-flag warning in table format, and checks
// the positional count exactly as the vault CLI words it.
export function parseCommandLine<const S extends readonly FlagSpec[]>(
  name: string,
  specs: S,
  argv: readonly string[],
  context: CommandContext,
  expected: { min: number; max: number },
): ParsedCommandLine<FlagValues<S>> {
  const parsed = parseFlags(specs, argv, { command: name });
  if (parsed.warning !== undefined && context.global.format === 'table') context.io.stderr.write(`${parsed.warning}\n`);
  const count = parsed.args.length;
  if (count < expected.min) {
    throw new SecretrunError('usage', `Not enough arguments (expected ${expected.min}, got ${count})`, {
      hint: `Run "secretrun ${name} -help" for usage.`,
    });
  }
  if (count > expected.max) {
    throw new SecretrunError('usage', `Too many arguments (expected ${expected.max}, got ${count})`, {
      hint: `Run "secretrun ${name} -help" for usage.`,
    });
  }
  return parsed;
}

// The client-choosing flags out of a parsed command line.
export function clientFlagsOf(flags: { store?: string; address?: string; namespace?: string }): ClientFlags {
  return { store: flags.store ?? '', address: flags.address ?? '', namespace: flags.namespace ?? '' };
}
