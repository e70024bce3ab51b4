import type { ApiClient } from './api-client.js';
import type { FlagSpec } from './flags.js';
import type { GlobalFlags } from './global-flags.js';
import type { CliIo } from './io.js';

// What every command receives: the world (io), the pre-scanned global flags, and a way to get
// the Vault API client (local store or remote server) only when the command needs one.
export interface CommandContext {
  io: CliIo;
  global: GlobalFlags;
  /** Opens the client once; `store` and `address` come from the command's own flags. */
  client(options: ClientFlags): Promise<ApiClient>;
}

// Flags that choose where requests go; every API command accepts them.
export interface ClientFlags {
  store: string;
  address: string;
  namespace: string;
}

// One CLI command: its help and flags (declared once, used for parsing and help), and its run.
export interface Command {
  /** Words after `secretrun`, e.g. `kv get`. */
  readonly name: string;
  readonly usage: string;
  readonly description: string;
  readonly flags: readonly FlagSpec[];
  /**
   * Whether vault's global flags (-format, -detailed) apply anywhere on the command line.
   * The runner's commands say no: their arguments after the flags belong to the child.
   */
  readonly vaultGlobalFlags?: boolean;
  run(argv: readonly string[], context: CommandContext): Promise<number>;
}

// Where requests go: the local encrypted store, or a Vault-compatible server.
export const clientFlags = [
  { name: 'store', kind: 'string', usage: 'Path of the local encrypted store. Defaults to $SECRETRUN_STORE, else the project\'s .secretrun/store.json (in this directory or the nearest parent holding secretrun.yaml or .secretrun/, up to the repository\'s root), else ./.secretrun/store.json.' },
  { name: 'address', kind: 'string', usage: 'Address of a Vault-compatible server; when set (or $VAULT_ADDR), requests go there instead of the local store.' },
  { name: 'namespace', kind: 'string', aliases: ['ns'], usage: 'Vault namespace for remote requests ($VAULT_NAMESPACE).' },
] as const satisfies readonly FlagSpec[];

// Output flags of commands that print a secret.
export const outputFlags = [
  { name: 'format', kind: 'string', default: 'table', usage: 'Print the output in the given format: "table", "json" or "yaml" ($VAULT_FORMAT).' },
  { name: 'field', kind: 'string', usage: 'Print only the field with the given name, exactly as stored.' },
] as const satisfies readonly FlagSpec[];

// `-mount` of the kv commands.
export const mountFlag = {
  name: 'mount',
  kind: 'string',
  usage: 'The engine mount path; with it, the argument is the key inside the mount (secretrun kv get -mount=secret foo).',
} as const satisfies FlagSpec;
