import type { Caller } from '../../auth/token-record.js';
import type { Storage } from '../../store/storage.js';
import type { LogicalRequest } from '../logical.js';

// Everything a route may use: the storage view of this request's read or transaction, the
// decoded request, the clock (ms since epoch) so routes stay deterministic under test, and
// the authenticated caller (undefined in-process, where the local CLI needs no token).
export interface RouteContext {
  storage: Storage;
  request: LogicalRequest;
  now: number;
  caller?: Caller | undefined;
}
