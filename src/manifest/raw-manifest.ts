import type { Manifest, RunnerCredential, SignalName } from './manifest.js';

// The YAML shape of secretrun.yaml after schema validation (snake_case, as written).

// One `env:` entry.
export type RawEnvValue = string | { ref?: string; optional?: boolean; default?: string; template?: string; mask?: boolean };

// `source:`: a local store or a remote server.
export interface RawSource {
  store?: string;
  address?: string;
  token_env?: string;
  poll_interval?: string;
  auth?: { method: 'token' | 'approle'; role_id_env?: string; secret_id_env?: string; mount?: string };
}

// One block under `environments:` (empty in YAML is null: an environment that changes nothing
// but the name `{{env}}` stands for).
export type RawEnvironment = null | { env?: Record<string, RawEnvValue>; dotenv?: string[]; source?: RawSource };

// The whole document.
export interface RawManifest {
  env?: Record<string, RawEnvValue>;
  expand?: { path: string; prefix?: string; optional?: boolean; mask?: boolean; allow?: string[] }[];
  dotenv?: string[];
  pristine?: boolean;
  inherit?: { allow?: string[]; deny?: string[] };
  source?: RawSource;
  environments?: Record<string, RawEnvironment>;
  on_change?: Manifest['onChange'];
  leases?: Manifest['leases'];
  reload_signal?: SignalName;
  stop_signal?: SignalName;
  kill_timeout?: string;
  debounce?: string;
  splay?: string;
  mask?: boolean | 'auto';
  github_mask?: boolean;
  keep_credentials?: RunnerCredential[];
  shell?: boolean;
  once?: boolean;
  hooks?: { pre_start?: RawHook; on_change?: RawHook };
}

// A hook as written: a shell command, a program and its arguments, or either with a timeout.
export type RawHook = string | string[] | { command: string | string[]; timeout?: string };
