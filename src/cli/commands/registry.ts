import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { envCommand } from './env.js';
import { initCommand } from './init.js';
import { kvGetCommand } from './kv-get.js';
import { kvListCommand } from './kv-list.js';
import { kvPutCommand } from './kv-put.js';
import { kvDeleteCommand, kvDestroyCommand, kvUndeleteCommand } from './kv-versions.js';

// Every command, with the one-line synopsis `secretrun --help` shows. The commands of a secret
// read or write (kv get/put/list/delete…, check, env, init) are in the CLI's start bundle; every
// other command is a lazy bundle of its own, compiled with its own code cache, so that the
// bundle every `kv get` compiles does not carry them (docs/runner.md#start-up).
export interface CommandEntry {
  name: string;
  synopsis: string;
  load: () => Promise<Command>;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'run', synopsis: 'Run a command with secrets from secretrun.yaml in its environment', load: async () => (await import('./run.js')).runCommand },
  { name: 'check', synopsis: 'Validate secretrun.yaml and check that every reference resolves', load: async () => checkCommand },
  { name: 'env', synopsis: 'Print the resolved variables of secretrun.yaml (dotenv, json, shell)', load: async () => envCommand },
  { name: 'init', synopsis: 'Create the encrypted store and its root key', load: async () => initCommand },
  { name: 'status', synopsis: 'Show the project, manifest, store and key in use, and what is wrong with them', load: async () => (await import('./status.js')).statusCommand },
  { name: 'doctor', synopsis: 'The same as status', load: async () => (await import('./status.js')).doctorCommand },
  { name: 'kv get', synopsis: 'Retrieve data from the KV store', load: async () => kvGetCommand },
  { name: 'kv put', synopsis: 'Set or update data in the KV store', load: async () => kvPutCommand },
  { name: 'kv patch', synopsis: 'Set or update data in the KV store without overwriting', load: async () => (await import('./kv-patch.js')).kvPatchCommand },
  { name: 'kv list', synopsis: 'List data or secrets', load: async () => kvListCommand },
  { name: 'kv delete', synopsis: 'Delete versions of secrets stored in K/V', load: async () => kvDeleteCommand },
  { name: 'kv undelete', synopsis: 'Undelete versions of secrets stored in K/V', load: async () => kvUndeleteCommand },
  { name: 'kv destroy', synopsis: 'Permanently remove one or more versions of secrets', load: async () => kvDestroyCommand },
  { name: 'kv rollback', synopsis: 'Rolls back to a previous version of data', load: async () => (await import('./kv-rollback.js')).kvRollbackCommand },
  { name: 'kv metadata get', synopsis: 'Retrieve key metadata from the KV store', load: async () => (await import('./kv-metadata.js')).kvMetadataGetCommand },
  { name: 'kv metadata put', synopsis: 'Set or update key settings in the KV store', load: async () => (await import('./kv-metadata.js')).kvMetadataPutCommand },
  { name: 'kv metadata patch', synopsis: 'Patch key settings in the KV store', load: async () => (await import('./kv-metadata.js')).kvMetadataPatchCommand },
  { name: 'kv metadata delete', synopsis: 'Deletes all versions and metadata for a key in the KV store', load: async () => (await import('./kv-metadata.js')).kvMetadataDeleteCommand },
  { name: 'secrets list', synopsis: 'List enabled secrets engines', load: async () => (await import('./secrets.js')).secretsListCommand },
  { name: 'secrets enable', synopsis: 'Enable a secrets engine', load: async () => (await import('./secrets.js')).secretsEnableCommand },
  { name: 'secrets disable', synopsis: 'Disable a secrets engine', load: async () => (await import('./secrets.js')).secretsDisableCommand },
  { name: 'secrets tune', synopsis: 'Tune a secrets engine configuration', load: async () => (await import('./secrets.js')).secretsTuneCommand },
  { name: 'audit list', synopsis: 'Lists enabled audit devices', load: async () => (await import('./audit.js')).auditListCommand },
  { name: 'audit enable', synopsis: 'Enables an audit device', load: async () => (await import('./audit.js')).auditEnableCommand },
  { name: 'audit disable', synopsis: 'Disables an audit device', load: async () => (await import('./audit.js')).auditDisableCommand },
  { name: 'policy write', synopsis: 'Uploads a named policy from a file', load: async () => (await import('./policy.js')).policyWriteCommand },
  { name: 'policy read', synopsis: 'Prints the contents of a policy', load: async () => (await import('./policy.js')).policyReadCommand },
  { name: 'policy list', synopsis: 'Lists the installed policies', load: async () => (await import('./policy.js')).policyListCommand },
  { name: 'policy delete', synopsis: 'Deletes a policy by name', load: async () => (await import('./policy.js')).policyDeleteCommand },
  { name: 'policy fmt', synopsis: 'Formats a policy on disk', load: async () => (await import('./policy.js')).policyFmtCommand },
  { name: 'auth enable', synopsis: 'Enables a new auth method', load: async () => (await import('./auth.js')).authEnableCommand },
  { name: 'auth disable', synopsis: 'Disables an auth method', load: async () => (await import('./auth.js')).authDisableCommand },
  { name: 'auth list', synopsis: 'Lists enabled auth methods', load: async () => (await import('./auth.js')).authListCommand },
  { name: 'auth tune', synopsis: 'Tunes an auth method configuration', load: async () => (await import('./auth.js')).authTuneCommand },
  { name: 'import', synopsis: 'Write the variables of a dotenv file to the store', load: async () => (await import('./import.js')).importCommand },
  { name: 'export', synopsis: 'Print a secret\'s fields as dotenv, JSON or shell exports', load: async () => (await import('./export.js')).exportCommand },
  { name: 'read', synopsis: 'Read data from any API path', load: async () => (await import('./generic.js')).readCommand },
  { name: 'write', synopsis: 'Write data to any API path', load: async () => (await import('./generic.js')).writeCommand },
  { name: 'list', synopsis: 'List the keys at any API path', load: async () => (await import('./generic.js')).listCommand },
  { name: 'delete', synopsis: 'Delete data at any API path', load: async () => (await import('./generic.js')).deleteCommand },
  { name: 'login', synopsis: 'Authenticate to a server and store the token', load: async () => (await import('./login.js')).loginCommand },
  { name: 'lease lookup', synopsis: 'Lookup the lease of a secret', load: async () => (await import('./lease.js')).leaseLookupCommand },
  { name: 'lease renew', synopsis: 'Renew the lease of a secret', load: async () => (await import('./lease.js')).leaseRenewCommand },
  { name: 'lease revoke', synopsis: 'Revoke leases and secrets', load: async () => (await import('./lease.js')).leaseRevokeCommand },
  { name: 'token create', synopsis: 'Create a new token', load: async () => (await import('./token-create.js')).tokenCreateCommand },
  { name: 'token lookup', synopsis: 'Display information about a token', load: async () => (await import('./token-lookup.js')).tokenLookupCommand },
  { name: 'token renew', synopsis: 'Renew a token lease', load: async () => (await import('./token-renew.js')).tokenRenewCommand },
  { name: 'token revoke', synopsis: 'Revoke a token and its children', load: async () => (await import('./token-revoke.js')).tokenRevokeCommand },
  { name: 'token capabilities', synopsis: 'Print capabilities of a token on a path', load: async () => (await import('./token-capabilities.js')).tokenCapabilitiesCommand },
  { name: 'operator rotate', synopsis: 'Start a new data-key term for new writes', load: async () => (await import('./operator.js')).operatorRotateCommand },
  { name: 'operator rekey', synopsis: 'Change the root key (only the keyring is rewritten)', load: async () => (await import('./operator.js')).operatorRekeyCommand },
  { name: 'operator generate-root', synopsis: 'Create a new root token for whoever holds the store key', load: async () => (await import('./operator.js')).operatorGenerateRootCommand },
  { name: 'key new', synopsis: 'Make a key pair for a person or a machine (X25519, as age)', load: async () => (await import('./key-new.js')).keyNewCommand },
  { name: 'key show', synopsis: "Print the public keys of this machine's private keys", load: async () => (await import('./key-show.js')).keyShowCommand },
  { name: 'recipients list', synopsis: 'List who can open the store (no key needed)', load: async () => (await import('./recipients.js')).recipientsListCommand },
  { name: 'recipients add', synopsis: 'Let one more key pair open the store', load: async () => (await import('./recipients.js')).recipientsAddCommand },
  { name: 'recipients remove', synopsis: 'Remove a recipient: a new root key for the others', load: async () => (await import('./recipients.js')).recipientsRemoveCommand },
  { name: 'git setup', synopsis: 'Set git up to merge the store secret by secret and diff it without values', load: async () => (await import('./git-setup.js')).gitSetupCommand },
  { name: 'git textconv', synopsis: 'Print a store as git diff shows it: paths, versions, recipients, never a value', load: async () => (await import('./git-textconv.js')).gitTextconvCommand },
  { name: 'merge-driver', synopsis: "git's merge driver for stores (set up by `secretrun git setup`)", load: async () => (await import('./merge-driver.js')).mergeDriverCommand },
  { name: 'completion', synopsis: 'Print a shell completion script (bash, zsh or fish)', load: async () => (await import('./completion.js')).completionCommand },
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
