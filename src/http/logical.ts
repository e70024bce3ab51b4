import type { Caller } from '../auth/token-record.js';
import type { TokenAuthBlock } from '../auth/token-render.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { Storage } from '../store/storage.js';

// Vault's logical operations: what a request asks of a path, independent of HTTP.
export type Operation = 'read' | 'list' | 'create' | 'update' | 'patch' | 'delete';

// A request after the HTTP layer decoded it (http/logical-request.ts).
export interface LogicalRequest {
  id: string;
  operation: Operation;
  /** The path after /v1/, decoded, without a leading slash; lists end with `/`. */
  path: string;
  /** Body fields (writes) or query parameters (reads, lists, deletes). */
  data: JsonObject;
  token: string | undefined;
  namespace: string | undefined;
  /** The client's address ('' in-process): logins check CIDR bindings against it. */
  remoteAddress: string;
}

// What a route answers. `none` is Vault's nil response: 404 for reads and lists, 204 otherwise.
// `raw` is a response the engine writes itself (the KV 404 that still carries metadata).
export type LogicalResponse =
  | {
      kind: 'data';
      data: JsonObject | null;
      warnings?: string[];
      auth?: TokenAuthBlock;
      /** Copy `data`'s keys to the top level too (Vault's legacy sys/ endpoints). */
      legacySys?: boolean;
      /** Seconds; a KV v1 secret's `ttl` field is reported here. */
      leaseDuration?: number;
      /** A dynamic secret's lease (its duration in leaseDuration). */
      lease?: { id: string; renewable: boolean };
    }
  | { kind: 'none'; warnings?: string[] }
  | {
      kind: 'raw';
      status: number;
      data: JsonValue;
      warnings?: string[];
      /** Send no body at all (Vault's empty 404 for a patch of a missing key). */
      emptyBody?: boolean;
      /** Send `data` itself as the body, not inside the envelope (sys/health). */
      bare?: boolean;
    }
  | {
      kind: 'deferred';
      /**
       * Work that must not run inside the request's store transaction: a password hash to
       * verify (login), a database to call (dynamic credentials). The handler runs it after the
       * transaction, with its own short reads and transactions around the slow part.
       */
      run(context: DeferredContext): Promise<LogicalResponse>;
    };

// What deferred work may use: the request, its clock and caller, and the store, one short
// read or transaction at a time (never held across the slow part).
export interface DeferredContext {
  request: LogicalRequest;
  now: number;
  caller: Caller | undefined;
  read<T>(fn: (storage: Storage) => T): Promise<T>;
  update<T>(fn: (storage: Storage) => T): Promise<T>;
}

// The fields a path defines (Vault's framework.Path Fields), or 'any' for a path that takes
// arbitrary input (a KV v1 secret). Other fields in a request are processed as if absent and
// named in Vault's "ignored these unrecognized parameters" warning (ignored-parameters.ts).
export type AcceptedFields = readonly string[] | 'any';

// A route's answer together with the fields of the path that gave it.
export interface Served {
  response: LogicalResponse;
  fields: AcceptedFields;
}

// Shorthands for the common answers.
export const none: LogicalResponse = { kind: 'none' };
export function dataResponse(data: JsonObject | null, warnings?: string[]): LogicalResponse {
  return warnings && warnings.length > 0 ? { kind: 'data', data, warnings } : { kind: 'data', data };
}
