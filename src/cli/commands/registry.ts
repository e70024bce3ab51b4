import type { Command } from '../command.js';

// Every command, with the one-line synopsis `secretrun --help` shows. Modules load lazily so
// a command pays only for its own code at start-up.
export interface CommandEntry {
  name: string;
  synopsis: string;
  load: () => Promise<Command>;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'run', synopsis: 'Run a command with secrets from secretrun.yaml in its environment', load: async () => (await import('./run.js')).runCommand },
  { name: 'check', synopsis: 'Validate secretrun.yaml and check that every reference resolves', load: async () => (await import('./check.js')).checkCommand },
  { name: 'env', synopsis: 'Print the resolved variables of secretrun.yaml (dotenv, json, shell)', load: async () => (await import('./env.js')).envCommand },
  { name: 'init', synopsis: 'Create the encrypted store and its root key', load: async () => (await import('./init.js')).initCommand },
  { name: 'kv get', synopsis: 'Retrieve data from the KV store', load: async () => (await import('./kv-get.js')).kvGetCommand },
  { name: 'kv put', synopsis: 'Set or update data in the KV store', load: async () => (await import('./kv-put.js')).kvPutCommand },
  { name: 'kv patch', synopsis: 'Set or update data in the KV store without overwriting', load: async () => (await import('./kv-patch.js')).kvPatchCommand },
  { name: 'kv list', synopsis: 'List data or secrets', load: async () => (await import('./kv-list.js')).kvListCommand },
  { name: 'kv delete', synopsis: 'Delete versions of secrets stored in K/V', load: async () => (await import('./kv-versions.js')).kvDeleteCommand },
  { name: 'kv undelete', synopsis: 'Undelete versions of secrets stored in K/V', load: async () => (await import('./kv-versions.js')).kvUndeleteCommand },
  { name: 'kv destroy', synopsis: 'Permanently remove one or more versions of secrets', load: async () => (await import('./kv-versions.js')).kvDestroyCommand },
  { name: 'kv rollback', synopsis: 'Rolls back to a previous version of data', load: async () => (await import('./kv-rollback.js')).kvRollbackCommand },
  { name: 'kv metadata get', synopsis: 'Retrieve key metadata from the KV store', load: async () => (await import('./kv-metadata.js')).kvMetadataGetCommand },
  { name: 'kv metadata put', synopsis: 'Set or update key settings in the KV store', load: async () => (await import('./kv-metadata.js')).kvMetadataPutCommand },
  { name: 'kv metadata patch', synopsis: 'Patch key settings in the KV store', load: async () => (await import('./kv-metadata.js')).kvMetadataPatchCommand },
  { name: 'kv metadata delete', synopsis: 'Deletes all versions and metadata for a key in the KV store', load: async () => (await import('./kv-metadata.js')).kvMetadataDeleteCommand },
  { name: 'secrets list', synopsis: 'List enabled secrets engines', load: async () => (await import('./secrets.js')).secretsListCommand },
  { name: 'secrets enable', synopsis: 'Enable a secrets engine', load: async () => (await import('./secrets.js')).secretsEnableCommand },
  { name: 'secrets disable', synopsis: 'Disable a secrets engine', load: async () => (await import('./secrets.js')).secretsDisableCommand },
  { name: 'secrets tune', synopsis: 'Tune a secrets engine configuration', load: async () => (await import('./secrets.js')).secretsTuneCommand },
  { name: 'operator rotate', synopsis: 'Start a new data-key term for new writes', load: async () => (await import('./operator.js')).operatorRotateCommand },
  { name: 'operator rekey', synopsis: 'Change the root key (only the keyring is rewritten)', load: async () => (await import('./operator.js')).operatorRekeyCommand },
  { name: 'server', synopsis: 'Serve Vault\'s HTTP API over the store (or in memory with -dev)', load: async () => (await import('./server.js')).serverCommand },
];

// The longest command name that the arguments start with, and the arguments after it.
export function findCommand(argv: readonly string[]): { entry: CommandEntry; rest: string[] } | undefined {
  let best: CommandEntry | undefined;
  for (const entry of commandEntries) {
    const words = entry.name.split(' ');
    if (words.every((word, i) => argv[i] === word) && (best === undefined || words.length > best.name.split(' ').length)) best = entry;
  }
  return best === undefined ? undefined : { entry: best, rest: argv.slice(best.name.split(' ').length) };
}

// Commands one level below `prefix` (`kv` → `kv get`, `kv metadata`, ...), for group help.
export function subcommandsOf(prefix: string): CommandEntry[] {
  const depth = prefix === '' ? 0 : prefix.split(' ').length;
  return commandEntries.filter((entry) => (prefix === '' || entry.name.startsWith(`${prefix} `)) && entry.name.split(' ').length > depth);
}
