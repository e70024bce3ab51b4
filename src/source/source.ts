import type { JsonObject } from '../json.js';

// One secret as a source returns it: the fields of a KV path at one version.
export interface SecretVersion {
  data: JsonObject;
  /** KV v2 version number; 0 for sources without versions (KV v1, dotenv). */
  version: number;
}

// A read of one path: the secret, or why there is none. Absence is a value, not an exception;
// `forbidden` and `unavailable` carry a one-line reason that never contains a secret value.
export type SecretRead =
  | { status: 'found'; secret: SecretVersion }
  /** `reason` says why, in one line naming no value (nearest paths, existing versions). */
  | { status: 'missing'; reason?: string }
  | { status: 'forbidden'; reason: string }
  | { status: 'unavailable'; reason: string };

// A request for one path, optionally pinned to a version (`path#field@3`).
export interface SecretRequest {
  /** A logical path as users write it, with the mount: `secret/api-keys/openai`. */
  path: string;
  version?: number;
}

// Where the runner's values come from: the local store, a remote Vault-compatible server,
// or dotenv files. Every source answers the same two questions.
export interface SecretSource {
  /** Reads each distinct request once; the map is keyed by `requestKey(request)`. */
  readSecrets(requests: readonly SecretRequest[]): Promise<Map<string, SecretRead>>;
  /**
   * Calls `onChange` whenever something the source holds may have changed (the store file was
   * written, a polled version moved). The runner re-resolves and compares; spurious calls are
   * fine. Returns a function that stops watching. Absent for sources that never change.
   */
  watch?(onChange: () => void, onError: (reason: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// The map key for a request: `path` or `path@version`.
export function requestKey(request: SecretRequest): string {
  return request.version === undefined ? request.path : `${request.path}@${request.version}`;
}
