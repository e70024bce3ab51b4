import type { JsonObject } from '../json.js';
import type { FileStore } from '../store/file-store.js';

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
  | { status: 'unavailable'; reason: string }
  /** A dynamic secret (it would create a database user) that was not read: `check` without -dynamic. */
  | { status: 'dynamic' };

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
  /** How dynamic secrets (leased database credentials) are handled; absent: read and revoke at close. */
  dynamic?: DynamicControl;
  close(): Promise<void>;
}

// What a run decides about dynamic secrets once its manifest is known (sources open before).
export interface DynamicControl {
  /** Whether to read them (false for `check` without -dynamic); true by default. */
  read: boolean;
  /** Whether close() leaves their leases to expire instead of revoking them; false by default. */
  keep: boolean;
  /** Where problems keeping them fresh are said, one line each without a value. */
  report: (line: string) => void;
  /** The leases held now, for `env` (path, lease id, expiry; no value). */
  leases(): readonly HeldLeaseInfo[];
  /**
   * A local source's way to the Vault API in-process over its store, which the CLI hands it
   * (source/ may not import http/). Without it, references to database mounts are unavailable.
   */
  localApi?: (store: FileStore, report: (line: string) => void) => Promise<DynamicApi>;
}

// One call to the Vault API: in-process over the local store, or over HTTP to a server.
export type ApiCall = (method: 'GET' | 'PUT', path: string, body?: JsonObject) => Promise<{ status: number; json: JsonObject | undefined }>;

// The API dynamic secrets are read through, and what closes it.
export interface DynamicApi {
  call: ApiCall;
  close(): Promise<void>;
}

// A lease the runner holds (source/lease-keeper.ts).
export interface HeldLeaseInfo {
  readonly path: string;
  readonly leaseId: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

// Whether the path after a non-KV mount names a leased secret that each read creates anew
// (`database/creds/my-role`, and as other Vault engines name theirs), which `check` does not read.
export function isLeasedPath(rest: string): boolean {
  return rest.startsWith('creds/');
}

// The map key for a request: `path` or `path@version`.
export function requestKey(request: SecretRequest): string {
  return request.version === undefined ? request.path : `${request.path}@${request.version}`;
}
