import { version } from '../build-id.js';
import type { ApiClient } from './api-client.js';
import type { ClientFlags } from './command.js';
import { commandEntries, findCommand, subcommandsOf } from './commands/registry.js';
import { executeCommand } from './execute.js';
import { createLocalClient } from './local-client.js';
import { processIo } from './process-io.js';
import type { CliIo } from './io.js';
import { helpFlags, versionFlags } from '../startup/route.js';

const groups = ['kv', 'kv metadata', 'secrets', 'audit', 'operator', 'key', 'git', 'token', 'lease'];

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
    'Run "secretrun help <command>" (or "secretrun <command> -help") for the flags of a command.',
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
  // `secretrun help kv get` is `secretrun kv get -help`.
  if (first === 'help' && argv.length > 1) return main([...argv.slice(1), '-help'], io);
  if ([...helpFlags, 'help'].includes(first)) {
    io.stdout.write(`${renderMainHelp()}\n`);
    return 0;
  }
  if ([...versionFlags, 'version'].includes(first)) {
    io.stdout.write(`secretrun v${version}\n`);
    return 0;
  }
  // `secretrun -- CMD` and `secretrun --once -- CMD` are the runner without its name.
  const found = first.startsWith('-') ? findCommand(['run', ...argv]) : findCommand(argv);
  if (found === undefined) {
    const group = [...groups].reverse().find((name) => name.split(' ').every((word, i) => argv[i] === word));
    if (group !== undefined) {
      const asked = argv.slice(group.split(' ').length).some((arg) => helpFlags.includes(arg));
      (asked ? io.stdout : io.stderr).write(`${renderGroupHelp(group)}\n`);
      return asked ? 0 : 127;
    }
    io.stderr.write(`Unknown command: ${first}\nRun "secretrun --help" for the list of commands.\n`);
    return 127;
  }
  const opener = clientOpener(io);
  try {
    return await executeCommand(await found.entry.load(), found.rest, io, opener.open);
  } finally {
    await opener.close().catch(() => undefined);
  }
}

// The process entry point of dist/cli.cjs, used by bin/secretrun.cjs.
export async function runFromProcess(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), processIo());
}
