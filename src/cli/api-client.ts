import type { JsonObject, JsonValue } from '../json.js';

// A response from the Vault API, local or remote, before the CLI interprets it.
export interface ApiResponse {
  status: number;
  /** The body text ('' for 204 and empty 404s). */
  body: string;
  /** The body parsed as a JSON object, when it is one. */
  json: JsonObject | undefined;
}

export interface ApiRequestOptions {
  query?: Readonly<Record<string, string>>;
  body?: JsonValue;
  /** Defaults to application/json; `kv patch` sends merge-patch. */
  contentType?: string;
  /** Send this token instead of the client's own ('' sends none): `login` checks a token with it. */
  token?: string;
}

// The CLI speaks Vault's API to exactly one of these: the in-process engine over the local
// store, or a remote Vault-compatible server. Commands never know which.
export interface ApiClient {
  readonly mode: 'local' | 'remote';
  /** `path` is the logical path without `/v1/`, e.g. `secret/data/foo`. */
  request(method: string, path: string, options?: ApiRequestOptions): Promise<ApiResponse>;
  /** How to name the request in an error, e.g. `GET http://127.0.0.1:8200/v1/secret/data/foo`. */
  describe(method: string, path: string, query?: Readonly<Record<string, string>>): string;
  close(): Promise<void>;
}

