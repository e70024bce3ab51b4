import { isSecretrunError } from '../errors.js';
import type { ApiClient } from './api-client.js';
import type { ClientFlags, Command, CommandContext } from './command.js';
import { exitCodeByCode } from './exit-code.js';
import { renderCommandHelp } from './flag-help.js';
import { scanGlobalFlags, type GlobalFlags } from './global-flags.js';
import type { CliIo } from './io.js';
import { helpFlags } from '../startup/route.js';

// The globals of a command that takes none: table output, and help only when -h comes among
// its own flags (before the first argument or `--`), never from the child's arguments.
function plainGlobals(argv: readonly string[]): GlobalFlags {
  let help = false;
  for (const arg of argv) {
    if (arg === '--' || !arg.startsWith('-')) break;
    if (helpFlags.includes(arg)) help = true;
  }
  return { format: 'table', detailed: false, outputCurlString: false, outputPolicy: false, help };
}

// Prints an error the way the vault CLI does: one message on stderr; the hint, if any, after it.
function reportError(io: CliIo, error: unknown): number {
  if (isSecretrunError(error)) {
    io.stderr.write(`${error.message}${error.hint === undefined ? '' : `\n${error.hint}`}\n`);
    return exitCodeByCode[error.code];
  }
  const detail = error instanceof Error ? error.message : String(error);
  io.stderr.write(`secretrun: internal error: ${detail}\n`);
  if (io.env['SECRETRUN_DEBUG'] && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return exitCodeByCode.internal;
}

// Runs one command with its arguments: its help when asked, else the command, with every
// error turned into its message and exit code. Never throws.
export async function executeCommand(command: Command, rest: readonly string[], io: CliIo, client: (flags: ClientFlags) => Promise<ApiClient>): Promise<number> {
  try {
    const global = command.vaultGlobalFlags === false ? plainGlobals(rest) : scanGlobalFlags(rest, io.env);
    if (global.help) {
      io.stdout.write(`${renderCommandHelp({ usage: command.usage, description: command.description, sections: [{ title: 'Command Options', flags: command.flags }] })}\n`);
      return 0;
    }
    const context: CommandContext = { io, global, client };
    return await command.run(rest, context);
  } catch (error) {
    return reportError(io, error);
  }
}
