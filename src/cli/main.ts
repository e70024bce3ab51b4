import { isSecretrunError } from '../errors.js';
import type { ApiClient } from './api-client.js';
import type { ClientFlags, CommandContext } from './command.js';
import { commandEntries, findCommand, subcommandsOf } from './commands/registry.js';
import { exitCodeByCode } from './exit-code.js';
import { renderCommandHelp } from './flag-help.js';
import { createLocalClient } from './local-client.js';
import { processIo } from './process-io.js';
import { scanGlobalFlags, type GlobalFlags } from './global-flags.js';
import type { CliIo } from './io.js';

export const version = '0.1.0';

const groups = ['kv', 'kv metadata', 'secrets', 'operator'];

// The top-level help: how to run a command, then the commands with their synopses.
export function renderMainHelp(): string {
  const width = Math.max(...commandEntries.map((entry) => entry.name.length));
  const lines = commandEntries.map((entry) => `    ${entry.name.padEnd(width)}    ${entry.synopsis}`);
  return [
    'Usage: secretrun <command> [args]',
    '',
    'Runs commands with secrets from secretrun.yaml injected, and manages a Vault-compatible',
    'KV v2 store kept in one encrypted file (or a Vault server when VAULT_ADDR is set).',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "secretrun <command> -help" for the flags of a command.',
  ].join('\n');
}

function renderGroupHelp(group: string): string {
  const entries = subcommandsOf(group);
  const width = Math.max(...entries.map((entry) => entry.name.length));
  return [
    `Usage: secretrun ${group} <subcommand> [options] [args]`,
    '',
    'Subcommands:',
    ...entries.map((entry) => `    ${entry.name.slice(group.length + 1).padEnd(width - group.length - 1)}    ${entry.synopsis}`),
  ].join('\n');
}

// The globals of a command that takes none: table output, and help only when -h comes among
// its own flags (before the first argument or `--`), never from the child's arguments.
function plainGlobals(argv: readonly string[]): GlobalFlags {
  let help = false;
  for (const arg of argv) {
    if (arg === '--' || !arg.startsWith('-')) break;
    if (['-h', '-help', '--help'].includes(arg)) help = true;
  }
  return { format: 'table', detailed: false, outputCurlString: false, outputPolicy: false, help };
}

// Prints an error the way the vault CLI does: one message on stderr; the hint, if any, after it.
export function reportError(io: CliIo, error: unknown): number {
  if (isSecretrunError(error)) {
    io.stderr.write(`${error.message}${error.hint === undefined ? '' : `\n${error.hint}`}\n`);
    return exitCodeByCode[error.code];
  }
  const detail = error instanceof Error ? error.message : String(error);
  io.stderr.write(`secretrun: internal error: ${detail}\n`);
  if (io.env['SECRETRUN_DEBUG'] && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return exitCodeByCode.internal;
}

// Opens the API client a command asked for, once: remote when an address is given, else the
// local store.
function clientOpener(io: CliIo): { open: (flags: ClientFlags) => Promise<ApiClient>; close: () => Promise<void> } {
  let client: ApiClient | undefined;
  return {
    async open(flags) {
      if (client) return client;
      const address = flags.address || io.env['VAULT_ADDR'] || '';
      if (address !== '') {
        // Loaded on demand: the HTTP(S) client pulls in node:http, node:https and TLS.
        const { createRemoteClient } = await import('./remote-client.js');
        client = await createRemoteClient({ address, namespace: flags.namespace || io.env['VAULT_NAMESPACE'] || undefined, io });
      } else {
        client = await createLocalClient({ storeFlag: flags.store || undefined, io });
      }
      return client;
    },
    async close() {
      await client?.close();
    },
  };
}

// The CLI: argv (without `node` and the script) → exit code. Never throws.
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    io.stderr.write(`${renderMainHelp()}\n`);
    return 127;
  }
  if (['-h', '-help', '--help', 'help'].includes(first)) {
    io.stdout.write(`${renderMainHelp()}\n`);
    return 0;
  }
  if (['-v', '-version', '--version', 'version'].includes(first)) {
    io.stdout.write(`secretrun v${version}\n`);
    return 0;
  }
  // `secretrun -- CMD` and `secretrun --once -- CMD` are the runner without its name.
  const found = first.startsWith('-') ? findCommand(['run', ...argv]) : findCommand(argv);
  if (found === undefined) {
    const group = [...groups].reverse().find((name) => name.split(' ').every((word, i) => argv[i] === word));
    if (group !== undefined) {
      const asked = argv.slice(group.split(' ').length).some((arg) => ['-h', '-help', '--help'].includes(arg));
      (asked ? io.stdout : io.stderr).write(`${renderGroupHelp(group)}\n`);
      return asked ? 0 : 127;
    }
    io.stderr.write(`Unknown command: ${first}\nRun "secretrun --help" for the list of commands.\n`);
    return 127;
  }
  const opener = clientOpener(io);
  try {
    const command = await found.entry.load();
    const global = command.vaultGlobalFlags === false ? plainGlobals(found.rest) : scanGlobalFlags(found.rest, io.env);
    if (global.help) {
      io.stdout.write(`${renderCommandHelp({ usage: command.usage, description: command.description, sections: [{ title: 'Command Options', flags: command.flags }] })}\n`);
      return 0;
    }
    const context: CommandContext = { io, global, client: opener.open };
    return await command.run(found.rest, context);
  } catch (error) {
    return reportError(io, error);
  } finally {
    await opener.close().catch(() => undefined);
  }
}

// The process entry point used by bin/secretrun.cjs.
export async function runFromProcess(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), processIo());
}
