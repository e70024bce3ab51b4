// The validated, frozen form of secretrun.yaml that the runner works from. Field names are
// camelCase; the YAML keys they come from are in schema/secretrun.schema.json.
import type { Reference } from './reference.js';
import type { TemplatePart } from './template.js';

// What to do with the running command when the resolved environment changed.
export type OnChange = 'restart' | 'signal' | 'exit' | 'none';

// `auto` masks when the runner's stdout is not a terminal.
export type MaskMode = 'on' | 'off' | 'auto';

// Signals a manifest may name for stop and reload.
export type SignalName =
  | 'SIGHUP' | 'SIGINT' | 'SIGQUIT' | 'SIGTERM' | 'SIGUSR1' | 'SIGUSR2' | 'SIGWINCH' | 'SIGCONT' | 'SIGALRM' | 'SIGKILL';

// The runner's own credentials, removed from the command's environment unless kept.
export const runnerCredentials = ['SECRETRUN_KEY', 'SECRETRUN_KEY_FILE', 'SECRETRUN_PASSPHRASE', 'SECRETRUN_IDENTITY_PASSPHRASE', 'VAULT_TOKEN'] as const;
export type RunnerCredential = (typeof runnerCredentials)[number];

// Secrets of other secretrun commands that no command started by the runner needs, removed
// always: the passphrase `operator rekey` reads for the new root key.
export const foreignCredentials = ['SECRETRUN_NEW_PASSPHRASE'] as const;

// One variable set from secrets. `where` locates its definition for messages (`secretrun.yaml:7:3`).
export type VariableSpec =
  | {
      readonly kind: 'reference';
      readonly name: string;
      readonly ref: Reference;
      readonly optional: boolean;
      readonly default: string | undefined;
      /** False when the manifest marks the value as not secret (`mask: false`): never masked. */
      readonly mask: boolean;
      readonly where: string;
    }
  | {
      readonly kind: 'template';
      readonly name: string;
      readonly parts: readonly TemplatePart[];
      readonly optional: boolean;
      /** False: neither the value nor its parts are masked on this variable's account. */
      readonly mask: boolean;
      readonly where: string;
    };

// A secret whose every field becomes a variable named prefix + normalised field name.
export interface Expansion {
  readonly path: string;
  readonly version: number | undefined;
  readonly prefix: string;
  readonly optional: boolean;
  /** False when the manifest marks every field of the secret as not secret. */
  readonly mask: boolean;
  /** Name patterns this expansion may set although they are guarded (PATH, LD_*, ...). */
  readonly allow: readonly string[];
  readonly where: string;
}

// How to log in to a remote server (validated here, used by the remote source).
export interface RemoteAuth {
  readonly method: 'token' | 'approle';
  /** approle: the variables holding role_id and secret_id. */
  readonly roleIdEnv: string;
  readonly secretIdEnv: string;
  readonly mount: string | undefined;
}

// Where secrets come from. Paths are absolute (resolved against the manifest's directory).
export type SourceSpec =
  | { readonly kind: 'store'; readonly store: string | undefined }
  | {
      readonly kind: 'remote';
      readonly address: string;
      readonly tokenEnv: string;
      readonly auth: RemoteAuth;
      readonly pollIntervalMs: number | undefined;
    };

// The variables holding a remote source's credentials; removed from the command's environment.
export function sourceCredentialNames(source: SourceSpec): string[] {
  if (source.kind !== 'remote') return [];
  return source.auth.method === 'approle' ? [source.tokenEnv, source.auth.secretIdEnv] : [source.tokenEnv];
}

// A command the runner runs beside the supervised one (`hooks:`): a string runs through the
// shell, a list is the program and its arguments, run without one.
export interface Hook {
  readonly command: string | readonly string[];
  /** 0: no limit. */
  readonly timeoutMs: number;
}

// The hooks of a run: `preStart` before every start of the command, `onChange` when its
// environment changed, before on_change acts.
export interface Hooks {
  readonly preStart: Hook | undefined;
  readonly onChange: Hook | undefined;
}

// How long a hook may run unless the manifest says otherwise.
export const defaultHookTimeoutMs = 60_000;

// The whole manifest. Durations are milliseconds.
export interface Manifest {
  /** The manifest file, or undefined when the run has none (only `-e` flags). */
  readonly file: string | undefined;
  /** Directory relative paths were resolved against. */
  readonly dir: string;
  /** The environment applied (`-env`, SECRETRUN_ENV), or undefined for none. */
  readonly environment: string | undefined;
  /** The environments the file defines, in the order written. */
  readonly environments: readonly string[];
  readonly variables: readonly VariableSpec[];
  readonly expand: readonly Expansion[];
  /** Absolute dotenv file paths, lowest layer first. */
  readonly dotenv: readonly string[];
  readonly pristine: boolean;
  readonly inherit: { readonly allow: readonly string[] | undefined; readonly deny: readonly string[] };
  readonly source: SourceSpec;
  readonly onChange: OnChange;
  /** What the run does with its dynamic secrets' leases when it ends (`leases:`). */
  readonly leases: 'revoke' | 'keep';
  readonly reloadSignal: SignalName;
  readonly stopSignal: SignalName;
  readonly killTimeoutMs: number;
  readonly debounceMs: number;
  readonly splayMs: number;
  readonly mask: MaskMode;
  readonly githubMask: boolean;
  readonly keepCredentials: readonly RunnerCredential[];
  readonly shell: boolean;
  readonly once: boolean;
  readonly hooks: Hooks;
}

// The defaults every manifest starts from; also the manifest of a run without a file.
export function defaultManifest(dir: string, file?: string): Manifest {
  return deepFreeze({
    file,
    dir,
    environment: undefined,
    environments: [],
    variables: [],
    expand: [],
    dotenv: [],
    pristine: false,
    inherit: { allow: undefined, deny: [] },
    source: { kind: 'store', store: undefined },
    onChange: 'restart',
    leases: 'revoke',
    reloadSignal: 'SIGHUP',
    stopSignal: 'SIGTERM',
    killTimeoutMs: 5000,
    debounceMs: 100,
    splayMs: 0,
    mask: 'auto',
    githubMask: true,
    keepCredentials: [],
    shell: false,
    once: false,
    hooks: { preStart: undefined, onChange: undefined },
  });
}

// Freezes a manifest-shaped value all the way down, so nobody mutates a shared manifest.
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
